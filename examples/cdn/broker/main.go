// Command broker runs a local Kafka-protocol broker for trying the CDN example without
// installing Kafka: github.com/twmb/franz-go/pkg/kfake, in memory, on 127.0.0.1, until
// interrupted (Ctrl-C). It prints its address; topics are created by clients
// (mocklogs creates its topic). Everything is lost when it stops.
//
//	go run ./examples/cdn/broker               # 127.0.0.1:9092
//	go run ./examples/cdn/broker -port 19092
//
// kfake is a test broker: good for examples and tests, not for production data.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/twmb/franz-go/pkg/kfake"
)

func main() {
	port := flag.Int("port", 9092, "port on 127.0.0.1 (0 = any free port)")
	flag.Parse()
	opts := []kfake.Opt{kfake.NumBrokers(1)} // kfake listens on 127.0.0.1 only
	if *port != 0 {
		opts = append(opts, kfake.Ports(*port))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "broker:", err)
		os.Exit(1)
	}
	for _, a := range c.ListenAddrs() {
		fmt.Println(a)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	c.Close()
}

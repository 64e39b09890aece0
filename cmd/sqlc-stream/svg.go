package main

import (
	"context"
	"fmt"
	"io"

	"github.com/goccy/go-graphviz"
)

// renderSVG draws a dot graph as SVG with github.com/goccy/go-graphviz: Graphviz's own
// layout compiled to WebAssembly and run by a pure-Go runtime (wazero), so neither cgo
// nor an installed Graphviz is needed.
func renderSVG(dot string, w io.Writer) error {
	ctx := context.Background()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return fmt.Errorf("svg: starting graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes([]byte(dot))
	if err != nil {
		return fmt.Errorf("svg: %w", err)
	}
	defer g.Close()
	if err := gv.Render(ctx, g, graphviz.SVG, w); err != nil {
		return fmt.Errorf("svg: %w", err)
	}
	return nil
}

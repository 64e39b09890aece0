package job

import "testing"

func TestUDFArgsJSON(t *testing.T) {
	if got := UDFArgsJSON("a\"b", nil, int64(3), 1.5); got != `["a\"b",null,3,1.5]` {
		t.Errorf("UDFArgsJSON = %s", got)
	}
	if got := UDFArgsJSON(make(chan int)); got[0] != '[' {
		t.Errorf("UDFArgsJSON of a channel = %s, want it printed", got)
	}
}

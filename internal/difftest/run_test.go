package difftest

import (
	"reflect"
	"testing"
)

func TestParseOutput(t *testing.T) {
	out := "q1> +I[a, 1]\nq10> -U[b\n?, 2]\nq10> +U[\n\nc> d, 3]\nq1> -D[a, 1]\n"
	got, err := parseOutput(out)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]change{
		"q1":  {{"+I", "[a, 1]"}, {"-D", "[a, 1]"}},
		"q10": {{"-U", "[b\n?, 2]"}, {"+U", "[\n\nc> d, 3]"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseOutput = %q, want %q", got, want)
	}
	if _, err := parseOutput("panic: boom\nq1> +I[a]\n"); err == nil {
		t.Error("parseOutput accepted a line before any change")
	}
}

package exec

import "unsafe"

// unsafeView is a string over b's bytes, as generated code's types.StringOf makes
// them: valid only while the batch is.
func unsafeView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

package types

// base64Values maps a byte to its value in the standard base64 alphabet; -1 marks a
// byte outside it.
var base64Values = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		v[alphabet[i]] = int8(i)
	}
	return v
}()

// ParseBase64 reads a BYTES field the way Flink's csv and json formats do: Jackson's
// binaryValue() of the text, i.e. Base64Variant.decode with the default variant of the
// Java-trimmed field. That is the standard alphabet in units of four characters, a unit
// of one or two bytes padded with '=' (padding is required), bytes <= ' ' allowed
// between units only; the unused low bits of a padded unit are ignored. The result is a
// new slice (never a view into b); an empty field is an empty value. ok=false when b is
// not such base64.
func ParseBase64(b []byte) ([]byte, bool) {
	b = TrimSpace(b)
	out := make([]byte, 0, len(b)/4*3)
	for i := 0; ; {
		for i < len(b) && b[i] <= ' ' {
			i++
		}
		if i == len(b) {
			return out, true
		}
		// The first two characters of a unit are always data.
		if i+1 >= len(b) {
			return nil, false
		}
		c0, c1 := base64Values[b[i]], base64Values[b[i+1]]
		if c0 < 0 || c1 < 0 || i+3 >= len(b) {
			return nil, false
		}
		v := int(c0)<<6 | int(c1)
		c2, c3 := b[i+2], b[i+3]
		i += 4
		if c2 == '=' {
			if c3 != '=' {
				return nil, false
			}
			out = append(out, byte(v>>4))
			continue
		}
		if base64Values[c2] < 0 {
			return nil, false
		}
		v = v<<6 | int(base64Values[c2])
		if c3 == '=' {
			out = append(out, byte(v>>10), byte(v>>2))
			continue
		}
		if base64Values[c3] < 0 {
			return nil, false
		}
		v = v<<6 | int(base64Values[c3])
		out = append(out, byte(v>>16), byte(v>>8), byte(v))
	}
}

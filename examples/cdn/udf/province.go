package udf

import "sort"

// ipRange maps the addresses [lo, hi] to a province.
type ipRange struct {
	lo, hi   uint32
	province string
}

// Unknown is returned for addresses outside the table and for malformed input.
const Unknown = "Unknown"

// ranges is sorted by lo and does not overlap. The ranges are illustrative blocks, not a
// real geo database: the example needs a deterministic, offline lookup.
var ranges = []ipRange{
	{ip(1, 0, 0, 0), ip(1, 63, 255, 255), "Beijing"},
	{ip(1, 64, 0, 0), ip(1, 127, 255, 255), "Shanghai"},
	{ip(14, 0, 0, 0), ip(14, 255, 255, 255), "Guangdong"},
	{ip(27, 0, 0, 0), ip(27, 127, 255, 255), "Zhejiang"},
	{ip(27, 128, 0, 0), ip(27, 255, 255, 255), "Jiangsu"},
	{ip(36, 0, 0, 0), ip(36, 127, 255, 255), "Sichuan"},
	{ip(36, 128, 0, 0), ip(36, 255, 255, 255), "Hubei"},
	{ip(39, 0, 0, 0), ip(39, 255, 255, 255), "Shandong"},
	{ip(42, 0, 0, 0), ip(42, 127, 255, 255), "Henan"},
	{ip(42, 128, 0, 0), ip(42, 255, 255, 255), "Hebei"},
	{ip(49, 0, 0, 0), ip(49, 255, 255, 255), "Fujian"},
	{ip(58, 0, 0, 0), ip(58, 255, 255, 255), "Hunan"},
	{ip(59, 0, 0, 0), ip(59, 255, 255, 255), "Anhui"},
	{ip(60, 0, 0, 0), ip(60, 255, 255, 255), "Liaoning"},
	{ip(61, 0, 0, 0), ip(61, 255, 255, 255), "Shaanxi"},
	{ip(101, 0, 0, 0), ip(101, 255, 255, 255), "Chongqing"},
	{ip(110, 0, 0, 0), ip(110, 255, 255, 255), "Tianjin"},
	{ip(111, 0, 0, 0), ip(111, 255, 255, 255), "Yunnan"},
	{ip(112, 0, 0, 0), ip(112, 255, 255, 255), "Guangxi"},
	{ip(113, 0, 0, 0), ip(113, 255, 255, 255), "Jiangxi"},
}

func ip(a, b, c, d uint32) uint32 { return a<<24 | b<<16 | c<<8 | d }

// IPToProvince returns the province of a dotted IPv4 address, or Unknown.
// It allocates nothing: the job calls it once per record.
func IPToProvince(clientIP string) string {
	addr, ok := parseIPv4(clientIP)
	if !ok {
		return Unknown
	}
	i := sort.Search(len(ranges), func(i int) bool { return ranges[i].hi >= addr })
	if i < len(ranges) && ranges[i].lo <= addr {
		return ranges[i].province
	}
	return Unknown
}

// parseIPv4 parses "a.b.c.d" with each part 0..255 and no leading sign.
func parseIPv4(s string) (uint32, bool) {
	var addr, part uint32
	parts, digits := 0, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if digits == 0 || part > 255 {
				return 0, false
			}
			addr = addr<<8 | part
			parts++
			part, digits = 0, 0
			continue
		}
		c := s[i]
		if c < '0' || c > '9' || digits == 3 {
			return 0, false
		}
		part = part*10 + uint32(c-'0')
		digits++
	}
	return addr, parts == 4
}

// Provinces lists every province the table can return, in table order, for tools
// (the mock log generator) that want addresses from each one.
func Provinces() []string {
	out := make([]string, len(ranges))
	for i, r := range ranges {
		out[i] = r.province
	}
	return out
}

// AddressIn returns the n-th address (modulo the range size) of the i-th range, so
// generators can make addresses whose province is known.
func AddressIn(i int, n uint32) string {
	r := ranges[i%len(ranges)]
	a := r.lo + n%(r.hi-r.lo+1)
	return itoa(a>>24) + "." + itoa(a>>16&255) + "." + itoa(a>>8&255) + "." + itoa(a&255)
}

func itoa(v uint32) string {
	if v == 0 {
		return "0"
	}
	var b [3]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}

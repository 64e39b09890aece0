package udf

import "testing"

func TestIPToProvince(t *testing.T) {
	for _, tc := range []struct{ ip, want string }{
		{"1.0.0.1", "Beijing"},
		{"1.63.255.255", "Beijing"},
		{"1.64.0.0", "Shanghai"},
		{"27.184.139.25", "Jiangsu"},
		{"113.255.255.255", "Jiangxi"},
		{"114.0.0.1", Unknown},
		{"0.0.0.0", Unknown},
		{"", Unknown},
		{"1.2.3", Unknown},
		{"1.2.3.4.5", Unknown},
		{"1.2.3.256", Unknown},
		{"1..3.4", Unknown},
		{"1.2.3.4 ", Unknown},
		{"-1.2.3.4", Unknown},
		{"0001.2.3.4", Unknown},
	} {
		if got := IPToProvince(tc.ip); got != tc.want {
			t.Errorf("IPToProvince(%q) = %q, want %q", tc.ip, got, tc.want)
		}
	}
}

func TestAddressInRoundTrips(t *testing.T) {
	for i, p := range Provinces() {
		for _, n := range []uint32{0, 1, 255, 65535, 1 << 30} {
			if got := IPToProvince(AddressIn(i, n)); got != p {
				t.Errorf("AddressIn(%d, %d) = %s is in %s, want %s", i, n, AddressIn(i, n), got, p)
			}
		}
	}
}

func TestIPToProvinceDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { IPToProvince("27.184.139.25") }); n != 0 {
		t.Errorf("IPToProvince allocates %v times per call", n)
	}
}

func BenchmarkIPToProvince(b *testing.B) {
	for i := 0; i < b.N; i++ {
		IPToProvince("27.184.139.25")
	}
}

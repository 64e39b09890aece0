package nexmark

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"sync"
)

// The value tables of the Java generator (PersonGenerator, BidGenerator).
var (
	usStates    = [...]string{"AZ", "CA", "ID", "OR", "WA", "WY"}
	usCities    = [...]string{"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"}
	firstNames  = [...]string{"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"}
	lastNames   = [...]string{"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"}
	hotChannels = [...]string{"Google", "Facebook", "Baidu", "Apple"}
)

const (
	minStringLength  = 3      // StringsGenerator.MIN_STRING_LENGTH
	hotChannelsRatio = 2      // BidGenerator.HOT_CHANNELS_RATIO
	channelsNumber   = 10_000 // BidGenerator.CHANNELS_NUMBER
)

// tables holds what the Java generator computes once per JVM: every "first last" name,
// and the URL of each hot channel and of each of the 10,000 other channels.
type tables struct {
	names        [len(firstNames) * len(lastNames)]string
	hotURLs      [len(hotChannels)]string
	channelNames [channelsNumber]string
	channelURLs  [channelsNumber]string
}

var (
	tablesOnce sync.Once
	theTables  *tables
)

// getTables builds the tables on first use (about a millisecond).
func getTables() *tables {
	tablesOnce.Do(func() {
		t := &tables{}
		for i, f := range firstNames {
			for j, l := range lastNames {
				t.names[i*len(lastNames)+j] = f + " " + l
			}
		}
		// Java draws these URLs from unseeded Randoms, so they differ on every run; here
		// hot URL i comes from new Random(-1-i) and channel n's from new Random(n), which
		// keeps them reproducible with the same shape.
		for i := range t.hotURLs {
			r := NewJavaRandom(int64(-1 - i))
			t.hotURLs[i] = string(appendBaseURL(nil, &r))
		}
		for n := range t.channelNames {
			t.channelNames[n] = "channel-" + strconv.Itoa(n)
			r := NewJavaRandom(int64(n))
			url := appendBaseURL(nil, &r)
			if r.intn(10) > 0 {
				// Java: url + "&channel_id=" + Math.abs(Integer.reverse(channelNumber))
				id := int32(bits.Reverse32(uint32(n)))
				if id < 0 && id != math.MinInt32 { // Math.abs(Integer.MIN_VALUE) stays negative
					id = -id
				}
				url = append(url, "&channel_id="...)
				url = strconv.AppendInt(url, int64(id), 10)
			}
			t.channelURLs[n] = string(url)
		}
		theTables = t
	})
	return theTables
}

// appendBaseURL is BidGenerator.getBaseUrl: three random path parts of 3 or 4 letters
// (an underscore with probability 1/13).
func appendBaseURL(dst []byte, r *JavaRandom) []byte {
	dst = append(dst, "https://www.nexmark.com/"...)
	for i := 0; i < 3; i++ {
		dst = appendString(dst, r, 5, '_')
		dst = append(dst, '/')
	}
	return append(dst, "item.htm?query=1"...)
}

// appendString is StringsGenerator.nextString(random, maxLength, special): 3 to
// maxLength-1 characters, each `special` with probability 1/13, else a lowercase letter,
// then String.trim (which removes leading and trailing spaces, not '_').
func appendString(dst []byte, r *JavaRandom, maxLength int32, special byte) []byte {
	n := int(minStringLength + r.intn(maxLength-minStringLength))
	start := len(dst)
	for i := 0; i < n; i++ {
		if r.intn(13) == 0 {
			dst = append(dst, special)
		} else {
			dst = append(dst, byte('a'+r.intn(26)))
		}
	}
	if special != ' ' {
		return dst
	}
	// trim: drop trailing spaces, then shift the rest over leading ones.
	end := len(dst)
	for end > start && dst[end-1] == ' ' {
		end--
	}
	lead := start
	for lead < end && dst[lead] == ' ' {
		lead++
	}
	if lead > start {
		copy(dst[start:], dst[lead:end])
		end -= lead - start
	}
	return dst[:end]
}

// appendExactString is StringsGenerator.nextExactString(random, length): six
// characters from each nextInt(), 'a' + rnd % 26 then rnd /= 26, with Java's signed
// remainder and truncating division (so a negative draw gives characters from 'H' to
// 'a'). The characters come two at a time from a table of remainders modulo 26*26.
func appendExactString(dst []byte, r *JavaRandom, length int) []byte {
	n := len(dst)
	dst = slices.Grow(dst, length)[:n+length]
	out := dst[n:]
	i := 0
	for ; i+6 <= len(out); i += 6 {
		rnd := r.Int()
		q := rnd / 676
		q2 := q / 676
		w := out[i : i+6 : i+6]
		binary.LittleEndian.PutUint16(w[0:], letterPairs[rnd-q*676+675])
		binary.LittleEndian.PutUint16(w[2:], letterPairs[q-q2*676+675])
		binary.LittleEndian.PutUint16(w[4:], letterPairs[q2%676+675])
	}
	if i < len(out) {
		rnd := r.Int()
		for ; i < len(out); i++ {
			out[i] = byte('a' + rnd%26)
			rnd /= 26
		}
	}
	return dst
}

// letterPairs[v+675] holds, for v in (-676, 676), the two characters Java makes of a
// value whose remainder modulo 676 is v: 'a' + v%26, then 'a' + (v/26)%26.
var letterPairs = func() (t [2*676 - 1]uint16) {
	for v := int32(-675); v <= 675; v++ {
		t[v+675] = uint16(byte('a'+v%26)) | uint16(byte('a'+v/26%26))<<8
	}
	return t
}()

// extraLength is the first half of StringsGenerator.nextExtra(random, currentSize,
// desiredAverageSize): the length of the padding, drawn uniformly around the average
// minus what the event already holds (none when it holds more).
func extraLength(r *JavaRandom, currentSize, desiredAverageSize int32) int {
	if currentSize > desiredAverageSize {
		return 0
	}
	desired := desiredAverageSize - currentSize
	delta := int32(javaRound(float64(desired) * 0.2))
	size := desired - delta
	if delta != 0 {
		size += r.intn(2 * delta)
	}
	return int(size)
}

// appendCreditCard is PersonGenerator.nextCreditCard: four groups of four digits
// (String.format("%04d", nextInt(10000))) separated by spaces.
func appendCreditCard(dst []byte, r *JavaRandom) []byte {
	for i := 0; i < 4; i++ {
		if i > 0 {
			dst = append(dst, ' ')
		}
		v := r.intn(10000)
		dst = append(dst, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
	}
	return dst
}

// nextPrice is PriceGenerator.nextPrice: Math.round(Math.pow(10, nextDouble() * 6) * 100),
// log-uniform in [100, 100,000,000].
//
// math.Pow costs more than the rest of a bid, so 10^y is computed as a table entry
// 10^(i/256) times exp(r * ln 10) for the remainder r < 1/256 (a polynomial), within a
// few units in the last place. That decides the rounding unless the value lies within
// 1e-6 of a half, where the exact expression is used (about 2 prices in a million): the
// result is always that of math.Pow.
func nextPrice(r *JavaRandom) int64 {
	y := r.Float64() * 6
	t := y * 256
	fl := math.Floor(t)
	x := (t - fl) * (math.Ln10 / 256) // t and t - fl are exact
	// exp(x) to x^6/720 (the next term is below 1e-17), evaluated in Estrin's order for
	// a short dependency chain.
	x2 := x * x
	e := (1 + x) + x2*((1.0/2+x*(1.0/6))+x2*((1.0/24+x*(1.0/120))+x2*(1.0/720)))
	v := pow10Table[int(fl)] * e * 100
	// Rounding without a branch on the (random) fraction: v + 0.5 is exact enough away
	// from a half, and near one the exact expression decides.
	f := math.Floor(v + 0.5)
	if d := v - f; d < -0.5+1e-6 || d > 0.5-1e-6 {
		return javaRound(math.Pow(10, y) * 100)
	}
	return int64(f)
}

// pow10Table holds 10^(i/256) for i in [0, 6*256].
var pow10Table = func() (t [6*256 + 1]float64) {
	for i := range t {
		t[i] = math.Pow(10, float64(i)/256)
	}
	return t
}()

// javaRound is Java's Math.round for the non-negative values used here: the nearest
// integer, halves up, computed exactly (x - floor(x) is exact for x >= 0).
func javaRound(x float64) int64 {
	f := math.Floor(x)
	if x-f >= 0.5 {
		f++
	}
	return int64(f)
}

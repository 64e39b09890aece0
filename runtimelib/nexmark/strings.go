package nexmark

import (
	"math"
	"math/bits"
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
			if r.Intn(10) > 0 {
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
	n := int(minStringLength + r.Intn(maxLength-minStringLength))
	start := len(dst)
	for i := 0; i < n; i++ {
		if r.Intn(13) == 0 {
			dst = append(dst, special)
		} else {
			dst = append(dst, byte('a'+r.Intn(26)))
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
// characters from each nextInt(), 'a' + rnd % 26 with Java's signed remainder (so a
// negative draw gives characters from 'H' to 'a').
func appendExactString(dst []byte, r *JavaRandom, length int) []byte {
	for length >= 6 {
		rnd := r.Int()
		dst = append(dst,
			byte('a'+rnd%26), byte('a'+rnd/26%26), byte('a'+rnd/676%26),
			byte('a'+rnd/17576%26), byte('a'+rnd/456976%26), byte('a'+rnd/11881376%26))
		length -= 6
	}
	if length > 0 {
		rnd := r.Int()
		for ; length > 0; length-- {
			dst = append(dst, byte('a'+rnd%26))
			rnd /= 26
		}
	}
	return dst
}

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
		size += r.Intn(2 * delta)
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
		v := r.Intn(10000)
		dst = append(dst, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
	}
	return dst
}

// nextPrice is PriceGenerator.nextPrice: Math.round(Math.pow(10, nextDouble() * 6) * 100),
// log-uniform in [100, 100,000,000].
func nextPrice(r *JavaRandom) int64 {
	return javaRound(math.Pow(10, r.Float64()*6) * 100)
}

// javaRound is Java's Math.round for the non-negative values used here: the nearest
// integer, halves up, computed exactly (x - floor(x) is exact for x >= 0).
func javaRound(x float64) int64 {
	f := math.Floor(x)
	if x-f >= 0.5 {
		f++
	}
	return int64(f)
}

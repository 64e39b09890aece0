package types

// Calendar arithmetic shared by the time functions (timefn.go) and the Java date pattern
// formatters (datetimeformatter.go for java.time, simpledateformat.go for
// java.text.SimpleDateFormat). Days are counted from 1970-01-01; every division that
// Java does with Math.floorDiv is floorDiv here, every one Java does with / stays /.

// floorDiv is Math.floorDiv: the quotient rounded toward negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// floorMod is Math.floorMod: the remainder with the sign of the divisor.
func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// splitMillis splits epoch milliseconds into the epoch day and the millisecond of that
// day (0 <= ms < 86400000), the instant's date and time in UTC.
func splitMillis(ms int64) (days, msOfDay int64) {
	return floorDiv(ms, millisPerDay), floorMod(ms, millisPerDay)
}

// isoDayOfWeek is java.time's DayOfWeek of an epoch day: 1 = Monday ... 7 = Sunday
// (1970-01-01 was a Thursday).
func isoDayOfWeek(days int64) int64 { return floorMod(days+3, 7) + 1 }

// sundayOnOrBefore is the epoch day of the Sunday on or before days.
func sundayOnOrBefore(days int64) int64 { return days - floorMod(days+4, 7) }

// dayOfYear is the 1-based day of the year of a proleptic Gregorian date.
func dayOfYear(y, m, d int64) int64 { return daysFromCivil(y, m, d) - daysFromCivil(y, 1, 1) + 1 }

// yearLength is the number of days of a proleptic Gregorian year.
func yearLength(y int64) int64 {
	if isLeap(y) {
		return 366
	}
	return 365
}

// gregorianCutover is the first day of the Gregorian calendar in java.util's
// GregorianCalendar (1582-10-15, which followed the Julian 1582-10-04). SimpleDateFormat,
// java.util.Date and java.sql.Timestamp compute dates before it in the Julian calendar.
const gregorianCutover = -141427

// daysFromJulian is the epoch day of a date of the Julian calendar (year 0 is 1 BC).
func daysFromJulian(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 4)
	yoe := y - era*4
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	return era*1461 + yoe*365 + doy - 719470
}

// julianFromDays is the inverse of daysFromJulian.
func julianFromDays(z int64) (y, m, d int64) {
	z += 719470
	era := floorDiv(z, 1461)
	doe := z - era*1461
	yoe := (doe - doe/1460) / 365
	y = yoe + era*4
	doy := doe - 365*yoe
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// hybridFromDays is the date of an epoch day in java.util's calendar: Julian before
// 1582-10-15, Gregorian from then on.
func hybridFromDays(days int64) (y, m, d int64) {
	if days >= gregorianCutover {
		return civilFromDays(days)
	}
	return julianFromDays(days)
}

// hybridJan1 is the epoch day of January 1st of the year that holds the hybrid date
// (y, days): in 1582 that is the Julian January 1st, as in GregorianCalendar.
func hybridJan1(y, days int64) int64 {
	if days >= gregorianCutover && y != 1582 {
		return daysFromCivil(y, 1, 1)
	}
	return daysFromJulian(y, 1, 1)
}

// hybridToDays is the epoch day GregorianCalendar's lenient computeTime gives the fields
// year (proleptic: 0 is 1 BC), month (0-based, any value: it carries into the year) and
// day of month (any value: it carries into the month). The calendar system is chosen
// from the year as set, before the month's carry, as Java does.
func hybridToDays(year, month0, dom int64) int64 {
	fixed := func(julian bool) int64 {
		y, m := year+floorDiv(month0, 12), floorMod(month0, 12)+1
		if julian {
			return daysFromJulian(y, m, 1) + dom - 1
		}
		return daysFromCivil(y, m, 1) + dom - 1
	}
	var gfd, jfd int64
	switch {
	case year > 1582:
		gfd = fixed(false)
		if gfd >= gregorianCutover {
			return gfd
		}
		jfd = fixed(true)
	case year < 1582:
		jfd = fixed(true)
		if jfd < gregorianCutover {
			return jfd
		}
		gfd = jfd
	default:
		jfd, gfd = fixed(true), fixed(false)
	}
	if gfd >= gregorianCutover {
		if jfd >= gregorianCutover {
			return gfd
		}
		return gfd // an overlapping date: Java keeps the Gregorian one without a prior computation
	}
	return jfd // before the cutover, or in the days 1582 skipped (lenient: the Julian reading)
}

// English (Locale.US) names, as Java's CLDR locale data has them.
var (
	monthNames      = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	monthShortNames = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	// Indexed by ISO day of week - 1 (Monday first).
	dayNames      = [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	dayShortNames = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	ampmNames     = [2]string{"AM", "PM"}
)

// usWeekOfYear is java.time's WeekFields.of(Locale.US) week-based year and week of it
// (weeks start on Sunday; the week holding January 1st is week 1), for a proleptic
// Gregorian date; GregorianCalendar with Locale.US numbers its weeks the same way.
func usWeekOfYear(days, y int64) (weekYear, week int64) {
	start := sundayOnOrBefore(days)
	if next := sundayOnOrBefore(daysFromCivil(y+1, 1, 1)); start >= next {
		return y + 1, 1
	}
	return y, (start-sundayOnOrBefore(daysFromCivil(y, 1, 1)))/7 + 1
}

// usWeekOfMonth is the week of the month in Locale.US: the week (from Sunday) holding
// the 1st is week 1.
func usWeekOfMonth(days, firstOfMonth int64) int64 {
	return (sundayOnOrBefore(days)-sundayOnOrBefore(firstOfMonth))/7 + 1
}

// appendPadded appends v in decimal with at least width digits (zero padded), with a
// leading '-' when negative.
func appendPadded(dst []byte, v int64, width int) []byte {
	var buf [24]byte
	i := len(buf)
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
	}
	for u >= 10 {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	i--
	buf[i] = byte('0' + u)
	if neg {
		dst = append(dst, '-')
	}
	for n := len(buf) - i; n < width; n++ {
		dst = append(dst, '0')
	}
	return append(dst, buf[i:]...)
}

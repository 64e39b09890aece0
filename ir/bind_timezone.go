package ir

import (
	"regexp"
	"strings"
)

// LocalTimeZoneKey is Flink's session time zone setting. Jobs run in UTC: TIMESTAMP_LTZ
// values convert to and from TIMESTAMP, DATE, TIME and text at their UTC wall-clock time,
// and UNIX_TIMESTAMP and FROM_UNIXTIME read and print UTC. A SET of another zone is an
// error rather than something silently ignored.
const LocalTimeZoneKey = "table.local-time-zone"

// utcZone matches the zone ids that are UTC at every instant: UTC, GMT, Z, their Etc/
// spellings and zero offsets (+00:00, UTC+0, GMT-00:00).
var utcZone = regexp.MustCompile(`^(?i:(etc/)?(utc|gmt|ut|uct|zulu|universal|greenwich|gmt0)|z)?([+-]0{1,2}(:?00){0,2})?$`)

// checkLocalTimeZone reports a SET 'table.local-time-zone' the runtime does not honour.
// Flink's 'default' (the machine's zone) is UTC here.
func (b *binder) checkLocalTimeZone(o Option) *bindError {
	if o.Key != LocalTimeZoneKey {
		return nil
	}
	v := strings.TrimSpace(o.Value)
	if v == "default" || v != "" && utcZone.MatchString(v) {
		return nil
	}
	return b.errorf(o.ValueSpan, "%s = '%s' is not supported yet: jobs run in the UTC session time zone ('UTC')", LocalTimeZoneKey, o.Value)
}

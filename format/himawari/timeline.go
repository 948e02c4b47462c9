package himawari

import "time"

// parseTimeline reads the YYYYMMDD and hhmm parts of a name. Both must be
// digits naming a real UTC minute on the 10-minute timeline; time.Date is
// not used to check because it silently normalises 20230230 to March 2.
func parseTimeline(date, hm string) (time.Time, error) {
	if len(date) != 8 || !digits(date) {
		return time.Time{}, &NameError{"date", date, "is not YYYYMMDD"}
	}
	y, m, d := atoi(date[:4]), atoi(date[4:6]), atoi(date[6:])
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return time.Time{}, &NameError{"date", date, "is not a calendar date"}
	}
	if len(hm) != 4 || !digits(hm) {
		return time.Time{}, &NameError{"time", hm, "is not hhmm"}
	}
	h, mi := atoi(hm[:2]), atoi(hm[2:])
	if h > 23 || mi > 59 {
		return time.Time{}, &NameError{"time", hm, "is not a time of day (0000 to 2359)"}
	}
	if mi%10 != 0 {
		return time.Time{}, &NameError{"time", hm, "is not on the 10-minute timeline (minutes 00, 10, ..., 50)"}
	}
	return time.Date(y, time.Month(m), d, h, mi, 0, 0, time.UTC), nil
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads a string that digits has accepted.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

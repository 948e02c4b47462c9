package synop

import (
	"fmt"
	"time"
)

// ResolveTime turns a SYNOP day-of-month, hour and minute into a full UTC
// time. SYNOP carries no month or year, so the answer is the latest time with
// that day, hour and minute that is not later than ref + 24 h (reports may be
// stamped slightly ahead of the clock of the receiving system). A day that the
// month does not have (31 in a 30-day month) is skipped back to the nearest
// earlier month that has it. Day 0 or above 31, hour above 23 and minute above
// 59 are errors.
func ResolveTime(day, hour, minute int, ref time.Time) (time.Time, error) {
	if day < 1 || day > 31 {
		return time.Time{}, fmt.Errorf("synop: day %d is not 1-31", day)
	}
	if hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		return time.Time{}, fmt.Errorf("synop: time %02d:%02d is not a time of day", hour, minute)
	}
	limit := ref.UTC().Add(24 * time.Hour)
	y, m, _ := limit.Date()
	// Thirteen months back always reaches a month with day 31 (at most two
	// months in a row lack it) while still covering a full year.
	for i := 0; i < 13; i++ {
		first := time.Date(y, m-time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		if day > daysIn(first) {
			continue
		}
		t := time.Date(first.Year(), first.Month(), day, hour, minute, 0, 0, time.UTC)
		if !t.After(limit) {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("synop: no month before %s has day %d", limit.Format(time.RFC3339), day)
}

func daysIn(first time.Time) int {
	return first.AddDate(0, 1, -1).Day()
}

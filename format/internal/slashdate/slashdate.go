// Package slashdate tells from a column of dates like 03/04/2021 which
// order they are written in, when the format does not say.
package slashdate

import (
	"strconv"
	"strings"
)

// Evidence looks at every a/b/yyyy date among texts: dayFirst is true when
// some a is above 12 (so a is the day), monthFirst when some b is. Both, or
// neither, leave the order undecided: the caller's format has a default.
func Evidence(texts []string) (dayFirst, monthFirst bool) {
	for _, s := range texts {
		f := strings.Split(strings.TrimSpace(s), "/")
		if len(f) != 3 {
			continue
		}
		a, errA := strconv.Atoi(f[0])
		b, errB := strconv.Atoi(f[1])
		if errA == nil && errB == nil {
			dayFirst = dayFirst || a > 12
			monthFirst = monthFirst || b > 12
		}
	}
	return dayFirst, monthFirst
}

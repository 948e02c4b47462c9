package resolvers

import (
	"time"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

func reading(v mkg.ClimateValue) *mkg.ClimateValue { return &v }

func climateFlag(f mkg.ClimateFlag) model.ClimateFlag {
	if f == mkg.ClimateValueFlag {
		return "VALUE"
	}
	return model.ClimateFlag(f)
}

func climateWindow(from, to time.Time) error {
	switch {
	case from.After(to):
		return mkg.Invalid("from", "from is after to")
	case to.Sub(from) > mkg.MaxClimateWindow:
		return mkg.Invalid("to", "at most 50 years per query")
	}
	return nil
}

// periodStart is where the days of the first whole period begin.
func periodStart(from time.Time, p mkg.ClimatePeriod) time.Time {
	if p == mkg.PeriodYear {
		return time.Date(from.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
}

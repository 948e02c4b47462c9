package export

import (
	"context"
	"io"

	"github.com/bmkg/mkggraph/mkg"
)

func newWriter(w io.Writer, f mkg.ExportFormat, cols []column) rowWriter {
	if f == mkg.ExportGeoJSON {
		return newGeoJSON(w, cols)
	}
	return newCSV(w, cols)
}

var l1Columns = []column{
	{"station_index", "stationIndex"},
	{"observed_at (UTC)", "observedAt"},
	{"bulletin_heading", "bulletinHeading"},
	{"nil_report", "nilReport"},
	{"report (FM-12 text as received)", "report"},
	{"source_file", "sourceFile"},
	{"received_at (UTC)", "receivedAt"},
}

var l2Columns = []column{
	{"station_index", "stationIndex"},
	{"station_name", "stationName"},
	{"latitude (degrees north)", "latitude"},
	{"longitude (degrees east)", "longitude"},
	{"observed_at (UTC)", "observedAt"},
	{"air_temperature (degC)", "airTemperatureC"},
	{"dew_point_temperature (degC)", "dewPointTemperatureC"},
	{"relative_humidity (%)", "relativeHumidityPct"},
	{"station_pressure (hPa)", "stationPressureHPa"},
	{"sea_level_pressure (hPa)", "seaLevelPressureHPa"},
	{"wind_direction (degrees true)", "windDirectionDeg"},
	{"wind_speed (m/s)", "windSpeedMS"},
	{"visibility_min (m)", "visibilityMinM"},
	{"total_cloud (oktas)", "totalCloudOktas"},
	{"precipitation (mm)", "precipitationMM"},
	{"precipitation_period (h)", "precipitationPeriodH"},
	{"present_weather (ww code)", "presentWeatherCode"},
}

func (e *Exporter) observations(ctx context.Context, w io.Writer, s mkg.ExportSpec) error {
	cols := l1Columns
	if s.Kind == mkg.ExportObservationsL2 {
		cols = l2Columns
	}
	out := newWriter(w, s.Format, cols)
	if err := out.header(); err != nil {
		return err
	}
	f := mkg.ObservationFilter{}
	if s.Observations != nil {
		f = *s.Observations
	}
	p := mkg.Page{Limit: pageSize}
	for {
		page, err := e.Observations.Observations(ctx, f, p)
		if err != nil {
			return err
		}
		if err := e.writeObservations(ctx, out, s.Kind, page.Edges); err != nil {
			return err
		}
		if !page.HasNextPage || len(page.Edges) == 0 {
			return out.end()
		}
		p.After = &page.Edges[len(page.Edges)-1].Cursor
	}
}

func (e *Exporter) writeObservations(ctx context.Context, out rowWriter, kind mkg.ExportKind, edges []mkg.ObservationEdge) error {
	if kind == mkg.ExportObservationsL1 {
		for _, edge := range edges {
			o := edge.Observation
			if err := out.row([]any{o.StationWMO, o.ObservedAt, o.Heading.Line(), o.Nil, o.Text, o.Source, o.ReceivedAt}, nil, nil); err != nil {
				return err
			}
		}
		return nil
	}
	stations, err := e.stationsOf(ctx, edges)
	if err != nil {
		return err
	}
	for i, edge := range edges {
		values, lat, lon := l2Row(edge.Observation, stations[i])
		if err := out.row(values, lat, lon); err != nil {
			return err
		}
	}
	return nil
}

// stationsOf looks up the page's stations in one call.
func (e *Exporter) stationsOf(ctx context.Context, edges []mkg.ObservationEdge) ([]*mkg.Station, error) {
	wmos := make([]string, len(edges))
	for i, edge := range edges {
		wmos[i] = edge.Observation.StationWMO
	}
	return e.Stations.StationsByWMO(ctx, wmos)
}

func l2Row(o *mkg.Observation, st *mkg.Station) (values []any, lat, lon *float64) {
	v := o.Values
	if v == nil {
		v = &mkg.SynopValues{}
	}
	values = []any{o.StationWMO, nil, nil, nil, o.ObservedAt, ptr(v.AirTemperatureC), ptr(v.DewPointC),
		ptr(v.RelativeHumidityPct), ptr(v.StationPressureHPa), ptr(v.SeaLevelPressureHPa), nil, nil, nil, nil, nil, nil, nil}
	if st != nil {
		values[1], values[2], values[3] = st.Name, st.Latitude, st.Longitude
		lat, lon = &st.Latitude, &st.Longitude
	}
	if wd := v.Wind; wd != nil {
		values[10], values[11] = ptr(wd.DirectionDeg), ptr(wd.SpeedMS)
		if wd.Calm {
			values[10], values[11] = 0, 0.0
		}
	}
	if v.Visibility != nil {
		values[12] = v.Visibility.MinM
	}
	if v.TotalCloud != nil {
		values[13] = ptr(v.TotalCloud.Oktas)
	}
	if len(v.Precipitation) > 0 {
		values[14], values[15] = ptr(v.Precipitation[0].AmountMM), ptr(v.Precipitation[0].PeriodH)
	}
	if v.PresentWeather != nil {
		values[16] = v.PresentWeather.Code
	}
	return values, lat, lon
}

// ptr turns a nil pointer into a missing value and a set one into its value.
func ptr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

var earthquakeColumns = []column{
	{"event_id", "eventId"},
	{"origin_time (UTC)", "originTime"},
	{"latitude (degrees north)", "latitude"},
	{"longitude (degrees east)", "longitude"},
	{"depth (km)", "depthKm"},
	{"magnitude", "magnitude"},
	{"magnitude_type", "magnitudeType"},
	{"region", "region"},
	{"tsunami_potential", "tsunamiPotential"},
	{"evaluation_status", "evaluationStatus"},
	{"felt", "felt"},
}

func (e *Exporter) earthquakes(ctx context.Context, w io.Writer, s mkg.ExportSpec) error {
	out := newWriter(w, s.Format, earthquakeColumns)
	if err := out.header(); err != nil {
		return err
	}
	f := mkg.EarthquakeFilter{}
	if s.Earthquakes != nil {
		f = *s.Earthquakes
	}
	order := s.Order
	if order == "" {
		order = mkg.OrderTimeDesc
	}
	p := mkg.Page{Limit: pageSize}
	for {
		page, err := e.Earthquakes.Earthquakes(ctx, f, order, p)
		if err != nil {
			return err
		}
		for _, edge := range page.Edges {
			q := edge.Earthquake
			values := []any{q.EventID, q.OriginTime, q.Latitude, q.Longitude, ptr(q.DepthKm), ptr(q.Magnitude),
				q.MagnitudeType, q.Region, q.TsunamiPotential, q.EvaluationStatus, q.FeltText}
			if err := out.row(values, &q.Latitude, &q.Longitude); err != nil {
				return err
			}
		}
		if !page.HasNextPage || len(page.Edges) == 0 {
			return out.end()
		}
		p.After = &page.Edges[len(page.Edges)-1].Cursor
	}
}

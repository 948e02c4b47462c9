package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/mkg"
)

// Defaults are the agency's public earthquake feeds and USGS's event query
// for the Indonesian region, seeded disabled: an operator enables them
// (setFeedEnabled), so a fresh server makes no request to anyone by itself.
func Defaults() []mkg.FeedInput {
	off := false
	tews := "https://data.bmkg.go.id/DataMKG/TEWS/"
	return []mkg.FeedInput{
		{Name: "bmkg-autogempa", Kind: mkg.FeedHTTP, URL: tews + "autogempa.json", Format: "bmkg-infogempa", Interval: 30 * time.Second, Enabled: &off,
			Description: "BMKG: the latest earthquake (autogempa.json)"},
		{Name: "bmkg-gempaterkini", Kind: mkg.FeedHTTP, URL: tews + "gempaterkini.json", Format: "bmkg-infogempa", Interval: time.Minute, Enabled: &off,
			Description: "BMKG: the 15 latest earthquakes of M5.0 or more (gempaterkini.json)"},
		{Name: "bmkg-gempadirasakan", Kind: mkg.FeedHTTP, URL: tews + "gempadirasakan.json", Format: "bmkg-infogempa", Interval: time.Minute, Enabled: &off,
			Description: "BMKG: the 15 latest felt earthquakes (gempadirasakan.json)"},
		{Name: "bmkg-realtime", Kind: mkg.FeedHTTP, URL: "https://bmkg-content-inatews.storage.googleapis.com/gempaQL.json", Format: "bmkg-realtime",
			Interval: 30 * time.Second, Enabled: &off, Description: "BMKG InaTEWS realtime catalogue, GeoJSON (gempaQL.json)"},
		{Name: "usgs-indonesia", Kind: mkg.FeedHTTP, Format: "quakeml", Interval: 5 * time.Minute, Enabled: &off,
			URL:         "https://earthquake.usgs.gov/fdsnws/event/1/query?format=quakeml&minlatitude=-12&maxlatitude=7&minlongitude=94&maxlongitude=142&minmagnitude=2.5&orderby=time&limit=500",
			Description: "USGS FDSN event query, Indonesian region, M2.5+, the last 30 days (QuakeML)"},
	}
}

// fileFeed is one feed in the config file.
type fileFeed struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"` // "http" or "spool"
	URL         string `json:"url"`
	Path        string `json:"path"`
	Format      string `json:"format"`
	Interval    string `json:"interval"` // a Go duration: "30s", "5m"
	Enabled     bool   `json:"enabled"`
	Description string `json:"description"`
}

// maxConfigBytes bounds the config file.
const maxConfigBytes = 1 << 20

// ReadConfig reads a feeds config file: {"feeds": [{name, kind, url | path,
// format, interval, enabled, description}, …]}. Each feed is validated as
// an admin's would be; an error names the feed and the field.
func ReadConfig(file string) ([]mkg.FeedInput, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("%s: over %d bytes", file, maxConfigBytes)
	}
	var doc struct {
		Feeds []fileFeed `json:"feeds"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	out := make([]mkg.FeedInput, len(doc.Feeds))
	for i, ff := range doc.Feeds {
		in, err := ff.input(fmt.Sprintf("feeds[%d]", i))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		out[i] = in
	}
	return out, nil
}

func (ff fileFeed) input(at string) (mkg.FeedInput, error) {
	d, err := time.ParseDuration(ff.Interval)
	if err != nil {
		return mkg.FeedInput{}, mkg.Invalid(at+".interval", "must be a duration such as \"30s\" or \"5m\"")
	}
	enabled := ff.Enabled
	in := mkg.FeedInput{Name: ff.Name, Kind: mkg.FeedKind(strings.ToUpper(ff.Kind)), URL: ff.URL, Path: ff.Path,
		Format: ff.Format, Interval: d, Enabled: &enabled, Description: ff.Description}
	if err := in.Validate(at, ingest.FormatNames()); err != nil {
		var e *mkg.Error
		if errors.As(err, &e) && e.Field == at+".intervalSeconds" {
			e.Field = at + ".interval"
		}
		return mkg.FeedInput{}, err
	}
	return in, nil
}

// Seed adds the defaults and the config file's feeds (file may be "")
// that the store does not have yet; feeds already stored are left as
// admins made them. The file's feeds come first, so a file may configure a
// default's name its own way.
func Seed(ctx context.Context, store mkg.FeedStore, file string) (int, error) {
	var list []mkg.FeedInput
	if file != "" {
		l, err := ReadConfig(file)
		if err != nil {
			return 0, err
		}
		list = l
	}
	return store.SeedFeeds(ctx, append(list, Defaults()...))
}

package sac

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/strongmotion"
)

var samples = []string{
	"20190706031952.CJ.T001230.HNE.sac",
	"20190706031952.CJ.T001230.HNN.sac",
	"20190706031952.CJ.T001230.HNZ.sac",
}

// TestSamples checks the CSN records (in g) against what their headers
// state: DEPMEN is the mean, and DEPMIN/DEPMAX bound the samples, so the
// PGA in gal is the larger distance of either from the mean, times g.
func TestSamples(t *testing.T) {
	for _, name := range samples {
		data := fixture.Read(t, name)
		if !Detect(data) {
			t.Errorf("%s: Detect = false", name)
		}
		h, recs, err := Parse(data, G)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r := recs[0]
		comp := name[len(name)-5 : len(name)-4]
		if r.Component != comp || r.Channel != "HN"+comp || r.Network != "CJ" || r.Station != "T001230" ||
			r.SampleRateHz != 50 || len(r.AccGal) != 15001 || h.ByteOrder != "little-endian" {
			t.Errorf("%s: %s.%s.%s %s %v Hz %d samples, %s", name, r.Network, r.Station, r.Channel, r.Component,
				r.SampleRateHz, len(r.AccGal), h.ByteOrder)
		}
		if got := r.Start.Format(time.RFC3339Nano); got != "2019-07-06T03:19:52Z" {
			t.Errorf("%s: start %s", name, got)
		}
		if *r.StationLat != 34.063694 || h.EVLA != nil {
			t.Errorf("%s: station %v, event lat %v", name, *r.StationLat, h.EVLA)
		}
		mean := *h.DEPMEN
		want := math.Max(*h.DEPMAX-mean, mean-*h.DEPMIN) * float64(G)
		pga := strongmotion.PGA(r.AccGal)
		if math.Abs(pga-want) > 1e-4*want {
			t.Errorf("%s: PGA %.5f gal, header DEPMIN/DEPMAX/DEPMEN give %.5f", name, pga, want)
		}
		t.Logf("%s: PGA %.4f gal (%.5f g)", name, pga, pga/float64(G))
	}
}

// TestBigEndian swaps a sample into big-endian order and reads it back.
func TestBigEndian(t *testing.T) {
	le := fixture.Read(t, samples[2])
	be := make([]byte, len(le))
	for i := 0; i < 440; i += 4 { // numeric header words
		binary.BigEndian.PutUint32(be[i:], binary.LittleEndian.Uint32(le[i:]))
	}
	copy(be[440:HeaderLen], le[440:HeaderLen])
	for i := HeaderLen; i < len(le); i += 4 {
		binary.BigEndian.PutUint32(be[i:], binary.LittleEndian.Uint32(le[i:]))
	}
	h1, r1, err1 := Parse(le, G)
	h2, r2, err2 := Parse(be, G)
	if err1 != nil || err2 != nil || h2.ByteOrder != "big-endian" || h1.NPTS != h2.NPTS ||
		strongmotion.PGA(r1[0].AccGal) != strongmotion.PGA(r2[0].AccGal) {
		t.Fatalf("%v %v %+v", err1, err2, h2)
	}
}

func TestBadInput(t *testing.T) {
	good := fixture.Read(t, samples[0])
	patch := func(word int, v int32) []byte {
		b := append([]byte(nil), good...)
		binary.LittleEndian.PutUint32(b[4*word:], uint32(v))
		return b
	}
	patchF := func(word int, v float32) []byte {
		b := append([]byte(nil), good...)
		binary.LittleEndian.PutUint32(b[4*word:], math.Float32bits(v))
		return b
	}
	cases := map[string]struct {
		data []byte
		unit Unit
		want string
	}{
		"no unit":        {good, 0, "unit"},
		"short":          {good[:100], G, "not a SAC file"},
		"truncated data": {good[:len(good)-4], G, "NPTS 15001 needs"},
		"extra data":     {append(append([]byte(nil), good...), 0, 0, 0, 0), G, "NPTS 15001 needs"},
		"NPTS too big":   {patch(79, 15002), G, "NPTS 15002 needs"},
		"NPTS negative":  {patch(79, -1), G, "NPTS -1"},
		"NPTS huge":      {patch(79, 1<<30), G, "NPTS 1073741824"},
		"version 7":      {patch(76, 7), G, "version 7"},
		"spectral":       {patch(85, 2), G, "IFTYPE"},
		"velocity":       {patch(86, 7), G, "IDEP"},
		"uneven":         {patch(105, 0), G, "LEVEN"},
		"zero delta":     {patchF(0, 0), G, "DELTA"},
		"no year":        {patch(70, undefined), G, "reference time"},
		"day 366":        {patch(71, 366), G, "NZJDAY"},
		"NaN sample":     {append(append([]byte(nil), good[:len(good)-4]...), 0, 0, 0xc0, 0x7f), G, "NaN"},
	}
	for name, c := range cases {
		_, recs, err := Parse(c.data, c.unit)
		if err == nil || !strings.Contains(err.Error(), c.want) || recs != nil {
			t.Errorf("%s: err %v, want it to mention %q", name, err, c.want)
		}
	}
}

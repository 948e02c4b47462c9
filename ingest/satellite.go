package ingest

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"

	"github.com/bmkg/mkggraph/format/himawari"
	"github.com/bmkg/mkggraph/mkg"
)

// satelliteName reports whether a file is named as a Himawari product is
// (then its name, not its contents, says what it is), and the parsed name
// or why the name does not follow the convention it starts like.
func satelliteName(name string) (himawari.Product, bool, error) {
	base := filepath.Base(name)
	if !strings.HasPrefix(base, "HS_H") && !strings.HasPrefix(base, "NC_H") && !strings.HasPrefix(base, "H08_") &&
		!strings.HasPrefix(base, "H09_") {
		return himawari.Product{}, false, nil
	}
	p, err := himawari.ParseName(base)
	return p, true, err
}

// ingestSatellite catalogues a Himawari file from its name and keeps its
// contents as received. The contents are not decoded: the catalogue
// fields are those the naming convention states.
func (in *Ingester) ingestSatellite(ctx context.Context, name string, data []byte, p himawari.Product, s *Summary) error {
	if in.files == nil {
		return errors.New("this server has no file store configured")
	}
	if len(data) == 0 {
		return errors.New("the file is empty")
	}
	s.Read = 1
	digest, size, err := in.files.Put(ctx, bytes.NewReader(data), MaxFileBytes)
	if err != nil {
		return err
	}
	ctype := "application/octet-stream"
	switch {
	case p.Compressed == "bz2":
		ctype = "application/x-bzip2"
	case p.Format == himawari.FormatNetCDF:
		ctype = "application/x-netcdf"
	}
	res, err := in.store.PutSatelliteProduct(ctx, &mkg.SatelliteProduct{Satellite: p.Satellite, Sensor: p.Sensor,
		Band: p.Band, WavelengthUM: p.WavelengthUM, Product: p.Product, Area: p.Area, Start: p.Start,
		ResolutionKm: p.ResolutionKm, Segment: p.Segment, Segments: p.Segments, Format: p.Format,
		File: mkg.StoredFile{Digest: digest, Size: size, ContentType: ctype, Name: filepath.Base(name)}})
	if err != nil {
		return err
	}
	s.count([]mkg.WriteResult{res}, []string{"file"})
	return nil
}

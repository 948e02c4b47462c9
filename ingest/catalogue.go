package ingest

import (
	"context"
)

// DeleteRadarScan removes a scan from the catalogue, then the stored files
// no other entry refers to. A file that cannot be deleted is logged and
// left: it is unreachable, and a later ingest of it finds it stored.
func (in *Ingester) DeleteRadarScan(ctx context.Context, id int64) (int, error) {
	digests, err := in.store.DeleteRadarScan(ctx, id)
	if err != nil {
		return 0, err
	}
	return in.deleteFiles(ctx, digests), nil
}

// DeleteSatelliteProduct is DeleteRadarScan for satellite products.
func (in *Ingester) DeleteSatelliteProduct(ctx context.Context, id int64) (int, error) {
	digests, err := in.store.DeleteSatelliteProduct(ctx, id)
	if err != nil {
		return 0, err
	}
	return in.deleteFiles(ctx, digests), nil
}

// deleteFiles removes files from the store and counts those removed.
func (in *Ingester) deleteFiles(ctx context.Context, digests []string) int {
	if in.files == nil {
		return 0
	}
	n := 0
	for _, d := range digests {
		if err := in.files.Delete(ctx, d); err != nil {
			in.log.WarnContext(ctx, "catalogue entry removed but its file could not be deleted", "digest", d, "err", err)
			continue
		}
		n++
	}
	return n
}

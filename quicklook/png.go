package quicklook

import (
	"fmt"
	"image"
	"image/png"
	"io"
)

// EncodePNG writes img to w as PNG. Quick looks are made on request, so
// speed matters more than the last few percent of size.
func EncodePNG(w io.Writer, img image.Image) error {
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, img); err != nil {
		return fmt.Errorf("quicklook: encoding PNG: %w", err)
	}
	return nil
}

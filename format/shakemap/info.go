package shakemap

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/bmkg/mkggraph/format/internal/xmlread"
)

// Info is an info.xml: each <tag>'s name and value, the value trimmed of
// surrounding white space (grind_time ends in a newline). ShakeMap writes
// its map maxima here (pga_max, pgv_max, mi_max, psa03_max...), rounded to
// two decimals, in the grid's units.
type Info map[string]string

// ParseInfo reads an info.xml. A tag without a name, or a name given twice,
// is an error.
func ParseInfo(data []byte) (Info, error) {
	if isJSON(data) {
		return nil, errJSON
	}
	d := xmlread.NewDecoder(data)
	if _, err := expectRoot(d, "info"); err != nil {
		return nil, fmt.Errorf("shakemap: %v", err)
	}
	info := Info{}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("shakemap: %v", readErr(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "tag" {
				a := attrs(t.Attr)
				name, ok := a.get("name")
				if !ok || name == "" {
					return nil, fmt.Errorf("shakemap: <tag> %d has no name", len(info)+1)
				}
				if _, dup := info[name]; dup {
					return nil, fmt.Errorf("shakemap: tag %q appears twice", name)
				}
				info[name] = strings.TrimSpace(a.str("value"))
			}
			if err := d.Skip(); err != nil {
				return nil, fmt.Errorf("shakemap: %v", readErr(err))
			}
		case xml.EndElement: // the root closed
			return info, nil
		}
	}
}

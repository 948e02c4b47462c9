package quakeml

// The types below mirror the parts of the QuakeML 1.2 event description
// this package reads. Tags carry no namespace, so encoding/xml matches them
// by local name in any namespace.

type qEvent struct {
	PublicID             string    `xml:"publicID,attr"`
	PreferredOriginID    string    `xml:"preferredOriginID"`
	PreferredMagnitudeID string    `xml:"preferredMagnitudeID"`
	Type                 string    `xml:"type"`
	Descriptions         []qDesc   `xml:"description"`
	Origins              []qOrigin `xml:"origin"`
	Magnitudes           []qMag    `xml:"magnitude"`
}

type qDesc struct {
	Text string `xml:"text"`
	Type string `xml:"type"`
}

type qOrigin struct {
	PublicID       string    `xml:"publicID,attr"`
	Time           qQuantity `xml:"time"`
	Latitude       qQuantity `xml:"latitude"`
	Longitude      qQuantity `xml:"longitude"`
	Depth          qQuantity `xml:"depth"`
	EvaluationMode string    `xml:"evaluationMode"`
}

type qMag struct {
	PublicID string    `xml:"publicID,attr"`
	Mag      qQuantity `xml:"mag"`
	Type     string    `xml:"type"`
	OriginID string    `xml:"originID"`
}

// qQuantity is QuakeML's RealQuantity/TimeQuantity: a value with optional
// uncertainty, of which only the value is read.
type qQuantity struct {
	Value string `xml:"value"`
}

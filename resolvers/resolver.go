// Package resolvers implements the GraphQL schema. Resolvers are thin: they
// turn arguments into domain values (validated there) and make one domain
// call, through the request's loaders for anything nested. No SQL, no rules.
package resolvers

import (
	"context"

	"github.com/bmkg/mkggraph/mkg"
)

// Resolver holds what the resolvers read from.
type Resolver struct {
	StationData     mkg.StationReader
	ObservationData mkg.ObservationReader
	EarthquakeData  mkg.EarthquakeReader
	// AccessData is the access store as the admin API changes it (its
	// changes reach every instance's authentication on the next request).
	AccessData       mkg.AccessStore
	TicketData       mkg.TicketStore
	RadarData        mkg.RadarReader
	LightningData    mkg.LightningReader
	ClimateData      mkg.ClimateStore
	AirQualityData   mkg.AQStore
	GroundMotionData mkg.GroundMotionStore
	SatelliteData    mkg.SatelliteReader
	// Downloads issues signed links to files and exports.
	Downloads mkg.Downloader
	Catalogue Catalogue
	// UsageData keeps what accounts used (mkg.Usage).
	UsageData mkg.UsageStore
	// Documents keeps the trusted documents admins register.
	Documents mkg.TrustedDocumentStore
	// FeedData keeps the upstream feeds admins configure.
	FeedData mkg.FeedStore
	// Webhooks registers and shows partners' webhooks (webhooks.Service);
	// nil: the API answers that webhooks are not available.
	Webhooks WebhookService
	// FeedFormats are the ingest formats a feed may require.
	FeedFormats []string
	// Types checks the caller against a type's access directives
	// (graph.SchemaAuthorizer, the one the executor enforces).
	Types interface {
		CheckType(ctx context.Context, typ string) error
	}
	// Live serves subscriptions.
	Live Live
	// Quota tells callers their budget (rateLimit); the executor charges
	// it (graph.Limits.Quota).
	Quota *mkg.QuotaPolicy
}

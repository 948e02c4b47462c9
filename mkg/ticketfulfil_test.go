package mkg

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// fulfilTicket asks for SYNOP_L1, LIGHTNING and RADAR_VOLUME on a letter
// (no validity end).
func fulfilTicket() *Ticket {
	return &Ticket{Number: "API-2026-000001", Basis: Basis{Kind: BasisOfficialLetter, Number: "B-1/2026", Date: Ptr(ruleNow)},
		Form: ServiceForm{Datasets: []Dataset{DatasetSynopL1, DatasetLightning, DatasetRadarVolume}}}
}

func sampleFulfilment() Fulfilment {
	return Fulfilment{
		Grants:  []ApprovedGrant{{Dataset: DatasetSynopL1}, {Dataset: DatasetLightning}},
		Omitted: []OmittedDataset{{Dataset: DatasetRadarVolume, Reason: "radar volumes go to research partners only"}},
	}
}

// Every requested dataset is granted or omitted with a reason, and nothing
// else is.
func TestCheckFulfilmentRefuses(t *testing.T) {
	past := ruleNow.Add(-time.Hour)
	for _, c := range []struct {
		what, field string
		edit        func(*Fulfilment)
	}{
		{"grant not requested", "grants", func(x *Fulfilment) { x.Grants = append(x.Grants, ApprovedGrant{Dataset: DatasetClimateL1}) }},
		{"grant twice", "grants", func(x *Fulfilment) { x.Grants = append(x.Grants, x.Grants[0]) }},
		{"grant expired", "grants", func(x *Fulfilment) { x.Grants[0].ExpiresAt = &past }},
		{"grant expiring now", "grants", func(x *Fulfilment) { x.Grants[0].ExpiresAt = Ptr(ruleNow) }},
		{"nothing granted", "grants", func(x *Fulfilment) {
			x.Omitted = append(x.Omitted, OmittedDataset{Dataset: DatasetSynopL1, Reason: "no"}, OmittedDataset{Dataset: DatasetLightning, Reason: "no"})
			x.Grants = nil
		}},
		{"requested neither granted nor omitted", "omitted", func(x *Fulfilment) { x.Omitted = nil }},
		{"granted and omitted", "omitted", func(x *Fulfilment) {
			x.Omitted = append(x.Omitted, OmittedDataset{Dataset: DatasetSynopL1, Reason: "no"})
		}},
		{"omitted twice", "omitted", func(x *Fulfilment) { x.Omitted = append(x.Omitted, x.Omitted[0]) }},
		{"omitted without reason", "omitted", func(x *Fulfilment) { x.Omitted[0].Reason = " " }},
		{"omitted not requested", "omitted", func(x *Fulfilment) {
			x.Omitted = append(x.Omitted, OmittedDataset{Dataset: DatasetSatellite, Reason: "no"})
		}},
		{"validity in the past", "validUntil", func(x *Fulfilment) { x.ValidUntil = &past }},
	} {
		f := sampleFulfilment()
		c.edit(&f)
		if _, err := fulfilTicket().CheckFulfilment(f, ruleNow); invalidField(err) != c.field {
			t.Errorf("%s: %v, want BAD_USER_INPUT on %s", c.what, err, c.field)
		}
	}
	// An agreement that has ended asks for the account's validity end.
	ended := fulfilTicket()
	ended.Basis = Basis{Kind: BasisAgreement, Number: "PKS/1/2025", ValidUntil: Ptr(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))}
	_, err := ended.CheckFulfilment(sampleFulfilment(), ruleNow)
	if invalidField(err) != "validUntil" || !strings.Contains(err.Error(), "the cooperation agreement ended on 2026-01-31") {
		t.Errorf("fulfilment after the agreement ended: %v", err)
	}
}

func TestCheckFulfilmentResult(t *testing.T) {
	jakarta := time.FixedZone("WIB", 7*3600)
	expires := time.Date(2027, 1, 1, 7, 0, 0, 0, jakarta)
	f := sampleFulfilment()
	f.Grants[0].ExpiresAt = &expires
	f.Omitted[0].Reason = "  partners only \n"
	f.Note = " for the EWS "
	got, err := fulfilTicket().CheckFulfilment(f, ruleNow)
	if err != nil {
		t.Fatal(err)
	}
	want := Fulfilment{
		Grants:  []ApprovedGrant{{Dataset: DatasetSynopL1, ExpiresAt: Ptr(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))}, {Dataset: DatasetLightning}},
		Omitted: []OmittedDataset{{Dataset: DatasetRadarVolume, Reason: "partners only"}},
		Note:    "for the EWS",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("checked fulfilment\n%+v, want\n%+v", got, want)
	}
	if f.Omitted[0].Reason != "  partners only \n" {
		t.Error("checking changed the caller's fulfilment")
	}
	// The account's validity end is the agreement's unless given.
	agreement := fulfilTicket()
	end := time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)
	agreement.Basis = Basis{Kind: BasisAgreement, Number: "PKS/1/2026", ValidUntil: &end}
	if got, _ := agreement.CheckFulfilment(sampleFulfilment(), ruleNow); got.ValidUntil == nil || !got.ValidUntil.Equal(end) {
		t.Errorf("validity from the agreement: %v", got.ValidUntil)
	}
	given := end.AddDate(0, -6, 0)
	f = sampleFulfilment()
	f.ValidUntil = &given
	if got, _ := agreement.CheckFulfilment(f, ruleNow); got.ValidUntil == nil || !got.ValidUntil.Equal(given) {
		t.Errorf("validity given: %v", got.ValidUntil)
	}
	d := want.Details(12, "mkg_1a2b3c4d")
	if d.AccountID != 12 || d.KeyPrefix != "mkg_1a2b3c4d" || !reflect.DeepEqual(d.Grants, want.Grants) || !reflect.DeepEqual(d.Omitted, want.Omitted) {
		t.Errorf("fulfilment details %+v", d)
	}
}

func TestTicketAccountInput(t *testing.T) {
	in := validInput()
	tk := &Ticket{Applicant: in.Applicant, Form: in.Form}
	until := inputNow.AddDate(1, 0, 0)
	got := tk.AccountInput(&until)
	want := AccountInput{Organisation: "BPBD Provinsi Jawa Barat", ContactName: "Siti Rahmawati", ContactEmail: "siti.rahmawati@bpbd.jabarprov.go.id",
		ContactPhone: "+62 (22) 420-3456", Application: in.Form.Application, ValidUntil: &until}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("account input\n%+v, want\n%+v", got, want)
	}
	if err := got.Validate(inputNow); err != nil {
		t.Errorf("the account of a valid request does not validate: %v", err)
	}
}

package mkg

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"
)

var storedLetter = Letter{Filename: "surat.pdf", ContentType: LetterPDF, Size: 1234, SHA256: "ab12"}

// TestStoredEventDetails: the details as the store wrote them before they
// were typed (a map per action, keys in order) decode to their types.
func TestStoredEventDetails(t *testing.T) {
	letterJSON := `{"contentType":"application/pdf","filename":"surat.pdf","sha256":"ab12","size":1234}`
	day := func(y int, m time.Month, d int) *time.Time { return Ptr(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) }
	for _, c := range []struct {
		action TicketAction
		stored string
		want   EventDetails
	}{
		{ActSubmit, `{"channel":"SIBATIK","formStartedAt":"2026-03-02T00:00:00Z","letter":` + letterJSON + `}`,
			SubmitDetails{Channel: ChannelSIBATIK, Letter: storedLetter, FormStartedAt: day(2026, 3, 2)}},
		{ActSubmit, `{"channel":"PHONE","formStartedAt":null,"letter":` + letterJSON + `}`,
			SubmitDetails{Channel: ChannelPhone, Letter: storedLetter}},
		{ActForward, `{}`, ForwardDetails{}},
		{ActForward, `{"assignedTo":42}`, ForwardDetails{AssignedTo: 42}},
		{ActReturn, `{"fixes":["sign the letter","attach the form"]}`, ReturnDetails{Fixes: []string{"sign the letter", "attach the form"}}},
		{ActRevise, `{"changed":["form","letter"],"letter":` + letterJSON + `}`, ReviseDetails{Changed: []string{"form", "letter"}, Letter: &storedLetter}},
		{ActRevise, `{"changed":[]}`, ReviseDetails{Changed: []string{}}},
		{ActStart, `{}`, StartDetails{}},
		{ActStart, `{"takenOverFrom":7}`, StartDetails{TakenOverFrom: 7}},
		{ActEscalate, `{"to":"INTERNAL"}`, EscalateDetails{To: EscalatedToInternal}},
		{ActFulfil, `{"accountId":12,"grants":[{"dataset":"SYNOP_L1","expiresAt":null},{"dataset":"LIGHTNING","expiresAt":"2027-01-01T00:00:00Z"}],` +
			`"keyPrefix":"mkg_1a2b3c4d","omitted":[{"dataset":"RADAR_VOLUME","reason":"partners only"}],"validUntil":"2027-12-31T00:00:00Z"}`,
			FulfilDetails{AccountID: 12, Grants: []ApprovedGrant{{Dataset: DatasetSynopL1}, {Dataset: DatasetLightning, ExpiresAt: day(2027, 1, 1)}},
				Omitted: []OmittedDataset{{Dataset: DatasetRadarVolume, Reason: "partners only"}}, ValidUntil: day(2027, 12, 31), KeyPrefix: "mkg_1a2b3c4d"}},
		{ActFulfil, `{"accountId":3,"grants":[{"dataset":"SYNOP_L1","expiresAt":null}],"keyPrefix":"mkg_00000000","omitted":[],"validUntil":null}`,
			FulfilDetails{AccountID: 3, Grants: []ApprovedGrant{{Dataset: DatasetSynopL1}}, Omitted: []OmittedDataset{}, KeyPrefix: "mkg_00000000"}},
		{ActResume, `{}`, NoDetails{}},
		{ActClose, `{}`, NoDetails{}},
		{ActReject, `{}`, NoDetails{}},
		{ActWithdraw, `{}`, NoDetails{}},
	} {
		got, err := DecodeEventDetails(c.action, []byte(c.stored))
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %s:\ngot  %#v, %v\nwant %#v", c.action, c.stored, got, err, c.want)
			continue
		}
		// What is written now reads back the same.
		again, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := DecodeEventDetails(c.action, again); err != nil || !reflect.DeepEqual(back, c.want) {
			t.Errorf("%s written as %s reads back as %#v, %v", c.action, again, back, err)
		}
	}
}

// Every action has its details type; anything else is an error, as is
// JSON that does not fit the type.
func TestDecodeEventDetailsByAction(t *testing.T) {
	for _, a := range TicketActions {
		if d, err := DecodeEventDetails(a, []byte(`{}`)); err != nil || d == nil {
			t.Errorf("%s: %v, %v; every action decodes", a, d, err)
		}
	}
	if _, err := DecodeEventDetails("APPROVE", []byte(`{}`)); err == nil {
		t.Error("an unknown action decoded")
	}
	if _, err := DecodeEventDetails(ActReturn, []byte(`{"fixes":"sign it"}`)); err == nil {
		t.Error("fixes as a string decoded")
	}
}

func TestApplicantView(t *testing.T) {
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	checklist := []ChecklistItem{{Item: "letter signed", OK: false, Note: "no signature"}}
	fulfil := FulfilDetails{AccountID: 12, Grants: []ApprovedGrant{{Dataset: DatasetSynopL1}},
		Omitted: []OmittedDataset{{Dataset: DatasetRadarVolume, Reason: "partners only"}}, ValidUntil: Ptr(at), KeyPrefix: "mkg_1a2b3c4d"}
	staff := func(role TicketActor, a TicketAction, note string, d EventDetails) TicketEvent {
		return TicketEvent{ID: 9, TicketID: 3, At: at, Actor: "BMKG Pusdatin / Dewi Lestari", ActorRole: role, Action: a,
			From: TicketSubmitted, To: TicketForwarded, Note: note, Checklist: checklist, Details: d}
	}
	view := func(role TicketActor, a TicketAction, note string, checklist []ChecklistItem, d EventDetails) TicketEvent {
		return TicketEvent{ID: 9, TicketID: 3, At: at, Actor: actorName(role), ActorRole: role, Action: a,
			From: TicketSubmitted, To: TicketForwarded, Note: note, Checklist: checklist, Details: d}
	}
	for _, c := range []struct {
		name     string
		event    TicketEvent
		want     TicketEvent
		wantJSON string
	}{
		{"submission", staff(ActorApplicant, ActSubmit, "", SubmitDetails{Channel: ChannelSIBATIK, Letter: storedLetter}),
			view(ActorApplicant, ActSubmit, "", nil, nil), ""},
		{"return", staff(ActorServiceDesk, ActReturn, "please sign", ReturnDetails{Fixes: []string{"sign the letter"}}),
			view(ActorServiceDesk, ActReturn, "please sign", checklist, ReturnDetails{Fixes: []string{"sign the letter"}}), `{"fixes":["sign the letter"]}`},
		{"forward to an officer", staff(ActorServiceDesk, ActForward, "complete", ForwardDetails{AssignedTo: 4}),
			view(ActorServiceDesk, ActForward, "complete", nil, nil), ""},
		{"takeover", staff(ActorOfficer, ActStart, "", StartDetails{TakenOverFrom: 4}), view(ActorOfficer, ActStart, "", nil, nil), ""},
		{"escalation to the applicant", staff(ActorOfficer, ActEscalate, "which IP range?", EscalateDetails{To: EscalatedToApplicant}),
			view(ActorOfficer, ActEscalate, "which IP range?", nil, EscalateDetails{To: EscalatedToApplicant}), `{"to":"APPLICANT"}`},
		{"internal escalation", staff(ActorOfficer, ActEscalate, "ask the radar team", EscalateDetails{To: EscalatedToInternal}),
			view(ActorOfficer, ActEscalate, "", nil, EscalateDetails{To: EscalatedToInternal}), `{"to":"INTERNAL"}`},
		{"fulfilment", staff(ActorOfficer, ActFulfil, "for the EWS", fulfil),
			view(ActorOfficer, ActFulfil, "for the EWS", nil, FulfilDetails{Grants: fulfil.Grants, Omitted: fulfil.Omitted}),
			`{"grants":[{"dataset":"SYNOP_L1","expiresAt":null}],"omitted":[{"dataset":"RADAR_VOLUME","reason":"partners only"}]}`},
		{"rejection", staff(ActorOfficer, ActReject, "no basis", NoDetails{}), view(ActorOfficer, ActReject, "no basis", nil, nil), ""},
	} {
		got := ApplicantView(c.event)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", c.name, got, c.want)
		}
		if c.wantJSON != "" {
			if b, _ := json.Marshal(got.Details); string(b) != c.wantJSON {
				t.Errorf("%s: the applicant's details %s, want %s", c.name, b, c.wantJSON)
			}
		}
	}
}

func TestLatestFixes(t *testing.T) {
	events := []TicketEvent{
		{Action: ActSubmit, Details: SubmitDetails{}},
		{Action: ActReturn, Details: ReturnDetails{Fixes: []string{"sign the letter"}}},
		{Action: ActRevise, Details: ReviseDetails{Changed: []string{"letter"}}},
		{Action: ActReturn, Details: ReturnDetails{Fixes: []string{"name the application", "give its addresses"}}},
	}
	if got := LatestFixes(TicketReturned, events); !slices.Equal(got, []string{"name the application", "give its addresses"}) {
		t.Errorf("returned twice: %q, want the latest return's fixes", got)
	}
	for _, c := range []struct {
		state  TicketState
		events []TicketEvent
	}{{TicketSubmitted, events}, {TicketReturned, events[:1]}, {TicketReturned, nil}} {
		if got := LatestFixes(c.state, c.events); got == nil || len(got) != 0 {
			t.Errorf("%s after %d events: %q, want an empty list", c.state, len(c.events), got)
		}
	}
}

package mkg

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files of the applicant's messages")

// TestApplicantMessages compares the message for each action, in both
// languages, with testdata/messages/<case>.golden (go test ./mkg -run
// ApplicantMessages -update rewrites them; read the diff).
func TestApplicantMessages(t *testing.T) {
	fulfil := FulfilDetails{AccountID: 12, KeyPrefix: "mkg_1a2b3c4d",
		Grants:  []ApprovedGrant{{Dataset: DatasetSynopL1}, {Dataset: DatasetLightning, ExpiresAt: Ptr(ruleNow.AddDate(1, 0, 0))}},
		Omitted: []OmittedDataset{{Dataset: DatasetRadarVolume, Reason: "radar volumes go to research partners only"}}}
	slow := Standards{Applicant: 15 * time.Minute, Review: 90 * time.Minute, Fulfilment: 2 * time.Hour}
	for _, c := range []struct {
		name       string
		action     TicketAction
		note       string
		details    EventDetails
		keyWaiting bool
		std        Standards
	}{
		{"submit", ActSubmit, "", SubmitDetails{Channel: ChannelSIBATIK, Letter: storedLetter}, false, DefaultStandards},
		{"submit-slow-desk", ActSubmit, "", SubmitDetails{Channel: ChannelSIBATIK, Letter: storedLetter}, false, slow},
		{"return", ActReturn, "the letter has no signature", ReturnDetails{Fixes: []string{"sign the request letter", "name the application"}}, false, DefaultStandards},
		{"revise", ActRevise, "", ReviseDetails{Changed: []string{"letter"}}, false, DefaultStandards},
		{"forward", ActForward, "complete and conforming", ForwardDetails{AssignedTo: 4}, false, DefaultStandards},
		{"forward-slow-officer", ActForward, "", ForwardDetails{}, false, slow},
		{"start", ActStart, "", StartDetails{TakenOverFrom: 4}, false, DefaultStandards},
		{"escalate-applicant", ActEscalate, "which IP range will call the API?", EscalateDetails{To: EscalatedToApplicant}, false, DefaultStandards},
		{"escalate-internal", ActEscalate, "ask the radar team about volumes", EscalateDetails{To: EscalatedToInternal}, false, DefaultStandards},
		{"resume", ActResume, "answered by phone", NoDetails{}, false, DefaultStandards},
		{"fulfil", ActFulfil, "account for the flood EWS", fulfil, true, DefaultStandards},
		{"fulfil-everything", ActFulfil, "", FulfilDetails{Grants: fulfil.Grants[:1], Omitted: []OmittedDataset{}}, true, DefaultStandards},
		{"close-key-waiting", ActClose, "", NoDetails{}, true, DefaultStandards},
		{"close-key-collected", ActClose, "done", NoDetails{}, false, DefaultStandards},
		{"reject", ActReject, "no cooperation basis for radar data", NoDetails{}, false, DefaultStandards},
		{"withdraw", ActWithdraw, "applied twice", NoDetails{}, false, DefaultStandards},
		{"withdraw-no-reason", ActWithdraw, "", NoDetails{}, false, DefaultStandards},
	} {
		t.Run(c.name, func(t *testing.T) {
			tk := &Ticket{ID: 3, Number: "API-2026-000123", Applicant: Applicant{Name: "Siti Rahma", Email: "siti@example.org"},
				KeyWaiting: c.keyWaiting, AccountID: 12}
			e := TicketEvent{Action: c.action, ActorRole: ActorOfficer, Actor: "BMKG Pusdatin / Budi Santoso", Note: c.note, Details: c.details}
			subject, body := ApplicantMessage(tk, e, c.std)
			got := "Subject: " + subject + "\n\n" + body
			path := filepath.Join("testdata", "messages", c.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("message differs from %s:\n%s", path, got)
			}
			if strings.Contains(got, "mkg_1a2b3c4d") || strings.Contains(got, "Budi") {
				t.Error("the message names the key or the staff member")
			}
			if c.note != "" && strings.Contains(got, c.note) != (ApplicantView(e).Note != "") {
				t.Error("the message shows the note where the applicant's view hides it, or the reverse")
			}
		})
	}
}

package mkg

import (
	"fmt"
	"strings"
	"time"
)

// ApplicantMessage is the message to t's applicant about e, the action just
// done to t (t as it stands after it), with std the service standards it
// quotes: a subject naming the ticket, and a body in Indonesian then
// English that says what happened, what to do next, and the note as the
// applicant may see it (ApplicantView). It never carries the tracking token
// or a key: e-mail is not the channel for secrets.
func ApplicantMessage(t *Ticket, e TicketEvent, std Standards) (subject, body string) {
	var m bilingual
	subject = m.action(t, e, std)
	if note := ApplicantView(e).Note; note != "" {
		labelID, labelEN := "Catatan pejabat fungsional", "Note from the officer"
		switch e.Action {
		case ActReject, ActWithdraw:
			labelID, labelEN = "Alasan", "Reason"
		case ActForward, ActReturn:
			labelID, labelEN = "Catatan petugas layanan", "Note from the service desk"
		}
		m.say(labelID+": "+note, labelEN+": "+note)
	}
	body = fmt.Sprintf("Yth. %s,\n\n%s\n---\n\nDear %s,\n\n%s\n-- \nBMKG — Layanan Pertukaran Data Elektronik / Electronic Data Exchange Service\n",
		t.Applicant.Name, m.id.String(), t.Applicant.Name, m.en.String())
	return "[" + t.Number + "] " + subject, body
}

// bilingual is a message in the making: each line is said in both
// languages.
type bilingual struct{ id, en strings.Builder }

func (m *bilingual) say(id, en string) {
	m.id.WriteString(id + "\n")
	m.en.WriteString(en + "\n")
}

// action says what e did and returns the subject.
func (m *bilingual) action(t *Ticket, e TicketEvent, std Standards) string {
	n := t.Number
	switch e.Action {
	case ActSubmit:
		m.say(fmt.Sprintf("Permohonan akses API Anda kami terima dengan nomor %s. Petugas layanan akan memeriksa kelengkapan dan kesesuaiannya (standar layanan: %s).", n, durationID(std.Review)),
			fmt.Sprintf("Your API access request has been received as %s. The service desk will check that it is complete and conforms (service standard: %s).", n, durationEN(std.Review)))
		m.say("Simpan token pelacakan yang Anda terima saat pengajuan: token itu hanya ditampilkan sekali dan diperlukan untuk memantau, memperbaiki atau membatalkan permohonan serta mengambil kunci API.",
			"Keep the tracking token you were given when the request was submitted: it is shown only once, and you need it to follow, correct or withdraw the request and to collect your API key.")
		return "Permohonan diterima / Request received"
	case ActReturn:
		m.returned(n, e.Details)
		return "Permohonan perlu diperbaiki / Request returned for correction"
	case ActForward:
		m.say(fmt.Sprintf("Permohonan %s telah diperiksa dan diteruskan kepada pejabat fungsional, yang akan membuat akun API Anda (standar layanan: %s).", n, durationID(std.Fulfilment)),
			fmt.Sprintf("Request %s has been checked and forwarded to a functional officer, who will create your API account (service standard: %s).", n, durationEN(std.Fulfilment)))
		return "Permohonan diteruskan / Request forwarded"
	case ActRevise:
		m.say(fmt.Sprintf("Perbaikan permohonan %s kami terima dan akan diperiksa kembali (standar layanan: %s).", n, durationID(std.Review)),
			fmt.Sprintf("The correction of request %s has been received and will be checked again (service standard: %s).", n, durationEN(std.Review)))
		return "Perbaikan diterima / Correction received"
	case ActStart:
		m.say(fmt.Sprintf("Pejabat fungsional mulai memproses permohonan %s. Tidak ada yang perlu Anda lakukan sekarang.", n),
			fmt.Sprintf("An officer has started work on request %s. Nothing is needed from you now.", n))
		return "Permohonan diproses / Request in progress"
	case ActEscalate:
		return m.escalated(n, e.Details)
	case ActResume:
		m.say(fmt.Sprintf("Pemrosesan permohonan %s dilanjutkan.", n), fmt.Sprintf("Work on request %s has resumed.", n))
		return "Permohonan dilanjutkan / Request resumed"
	case ActFulfil:
		m.fulfilled(n, e.Details)
		return "Akun API dibuat / API account created"
	case ActClose:
		m.say(fmt.Sprintf("Permohonan %s telah selesai dan ditutup.", n), fmt.Sprintf("Request %s is complete and has been closed.", n))
		if t.KeyWaiting {
			m.say("Kunci API Anda belum diambil: ambil dengan token pelacakan Anda dalam 30 hari.",
				"Your API key has not been collected yet: collect it with your tracking token within 30 days.")
		}
		return "Permohonan selesai / Request closed"
	case ActReject:
		m.say(fmt.Sprintf("Permohonan %s ditolak.", n), fmt.Sprintf("Request %s has been rejected.", n))
		return "Permohonan ditolak / Request rejected"
	case ActWithdraw:
		m.say(fmt.Sprintf("Permohonan %s telah Anda batalkan. Untuk mengajukan lagi, buat permohonan baru.", n),
			fmt.Sprintf("You have withdrawn request %s. To apply again, submit a new request.", n))
		return "Permohonan dibatalkan / Request withdrawn"
	}
	return ""
}

// returned lists what to fix and how.
func (m *bilingual) returned(n string, d EventDetails) {
	m.say(fmt.Sprintf("Permohonan %s dikembalikan untuk diperbaiki. Yang perlu diperbaiki:", n),
		fmt.Sprintf("Request %s has been returned for correction. What to fix:", n))
	if r, ok := d.(ReturnDetails); ok {
		for _, f := range r.Fixes {
			m.say("- "+f, "- "+f)
		}
	}
	m.say("Perbaiki permohonan dengan token pelacakan Anda lalu kirim kembali; waktu layanan berhenti sampai itu.",
		"Correct the request with your tracking token and send it again; the service clock stops until then.")
}

// escalated says whom the ticket waits on, and returns the subject.
func (m *bilingual) escalated(n string, d EventDetails) string {
	if e, ok := d.(EscalateDetails); ok && e.To == EscalatedToApplicant {
		m.say(fmt.Sprintf("Untuk menyelesaikan permohonan %s, pejabat fungsional memerlukan informasi dari Anda. Hubungi petugas layanan dengan menyebut nomor permohonan; waktu layanan berhenti sampai itu.", n),
			fmt.Sprintf("To complete request %s the officer needs information from you. Contact the service desk quoting the request number; the service clock stops until then.", n))
		return "Informasi tambahan diperlukan / More information needed"
	}
	m.say(fmt.Sprintf("Permohonan %s sedang dikoordinasikan di dalam BMKG. Tidak ada yang perlu Anda lakukan sekarang.", n),
		fmt.Sprintf("Request %s is being coordinated within BMKG. Nothing is needed from you now.", n))
	return "Permohonan dikoordinasikan / Request under coordination"
}

// fulfilled says what was granted, what was not and why, and how to get
// the key.
func (m *bilingual) fulfilled(n string, d EventDetails) {
	m.say(fmt.Sprintf("Akun API untuk permohonan %s telah dibuat.", n), fmt.Sprintf("The API account for request %s has been created.", n))
	if f, ok := d.(FulfilDetails); ok {
		for _, g := range f.Grants {
			m.say(fmt.Sprintf("- diberikan: %s", g.Dataset), fmt.Sprintf("- granted: %s", g.Dataset))
		}
		for _, o := range f.Omitted {
			m.say(fmt.Sprintf("- tidak diberikan: %s (%s)", o.Dataset, o.Reason), fmt.Sprintf("- not granted: %s (%s)", o.Dataset, o.Reason))
		}
	}
	m.say("Ambil kunci API Anda dengan token pelacakan Anda. Kunci hanya dapat diambil sekali dan tidak dikirim melalui e-mail; simpan dengan aman.",
		"Collect your API key with your tracking token. The key can be collected once only and is never sent by e-mail; keep it safe.")
}

func durationID(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%d jam", d/time.Hour)
	}
	return fmt.Sprintf("%d menit", d/time.Minute)
}

func durationEN(d time.Duration) string {
	unit, n := "minute", d/time.Minute
	if d%time.Hour == 0 {
		unit, n = "hour", d/time.Hour
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

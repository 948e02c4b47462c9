package mkg

import "testing"

func TestPageArgs(t *testing.T) {
	n := func(i int) *int { return &i }
	s := func(v string) *string { return &v }
	c := Cursor{Order: OrderStationName, Value: "Jakarta / Observatory", ID: 42}
	good, err := PageArgs{First: n(10), After: s(c.Encode())}.Resolve(OrderStationName)
	if err != nil || good.Limit != 10 || *good.After != c {
		t.Fatalf("round trip: %+v, %v", good, err)
	}
	if p, _ := (PageArgs{}).Resolve(OrderStationName); p.Limit != DefaultPageSize || p.After != nil {
		t.Errorf("defaults: %+v", p)
	}
	for _, a := range []PageArgs{{First: n(-1)}, {First: n(MaxPageSize + 1)}, {After: s("!!")}, {After: s(c.Encode()[2:])}} {
		if _, err := a.Resolve(OrderStationName); ErrorCode(err) != EINVALID {
			t.Errorf("%+v: %v, want BAD_USER_INPUT", a, err)
		}
	}
	if _, err := (PageArgs{After: s(c.Encode())}).Resolve(OrderStationDistance); ErrorCode(err) != EINVALID {
		t.Errorf("a cursor of another ordering was accepted")
	}
}

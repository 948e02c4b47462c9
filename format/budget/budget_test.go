package budget

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
	"sync"
	"testing"
)

func TestLimit(t *testing.T) {
	for _, c := range []struct{ size, factor, want int64 }{
		{0, 16, Base},
		{1000, 16, 16000 + Base},
		{-5, 16, Base},
		{math.MaxInt64 / 2, 16, math.MaxInt64},
		{math.MaxInt64 - 10, 1, math.MaxInt64},
	} {
		if got := Limit(c.size, c.factor); got != c.want {
			t.Errorf("Limit(%d, %d) = %d, want %d", c.size, c.factor, got, c.want)
		}
	}
}

func TestReserveUpToTheLimit(t *testing.T) {
	b := New(1000, 2)
	if err := b.Reserve(b.Limit()-10, "most"); err != nil {
		t.Fatal(err)
	}
	err := b.Reserve(11, "dataset \"x\"")
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
	if e.Need != 11 || e.Limit != 2000+Base || e.Input != 1000 || !strings.Contains(err.Error(), `dataset "x" would need 11 bytes`) {
		t.Errorf("%+v: %v", e, err)
	}
	if b.Used() != b.Limit()-10 {
		t.Errorf("a refused reservation took %d bytes", b.Used()-(b.Limit()-10))
	}
	if err := b.Reserve(10, "rest"); err != nil {
		t.Errorf("the exact rest: %v", err)
	}
}

func TestOverflowIsRefused(t *testing.T) {
	b := New(1, 1)
	for name, err := range map[string]error{
		"negative":       b.Reserve(-1, "x"),
		"product":        b.ReserveN(math.MaxInt64/2, 3, "x"),
		"negative count": b.ReserveN(-1, 8, "x"),
		"check":          b.Check(math.MaxInt64, "x"),
	} {
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if b.Used() != 0 {
		t.Errorf("used %d", b.Used())
	}
	big := New(math.MaxInt64, 1) // a saturated limit still cannot wrap
	if err := big.Reserve(math.MaxInt64-1, "a"); err != nil {
		t.Fatal(err)
	}
	if err := big.Reserve(10, "b"); err == nil {
		t.Error("used wrapped past MaxInt64")
	}
}

func TestCheckTakesNothing(t *testing.T) {
	b := New(0, 1)
	if err := b.Check(Base, "all"); err != nil {
		t.Fatal(err)
	}
	if err := b.Check(Base+1, "more"); err == nil {
		t.Error("Check accepted more than the limit")
	}
	if b.Used() != 0 {
		t.Errorf("Check took %d", b.Used())
	}
}

func TestReader(t *testing.T) {
	b := New(0, 0)
	n, err := io.Copy(io.Discard, b.Reader(bytes.NewReader(make([]byte, Base+1)), "bomb"))
	if !errors.Is(err, ErrTooLarge) || n > Base {
		t.Errorf("copied %d: %v", n, err)
	}
	b = New(0, 0)
	if _, err := io.Copy(io.Discard, b.Reader(bytes.NewReader(make([]byte, 1000)), "small")); err != nil || b.Used() != 1000 {
		t.Errorf("used %d: %v", b.Used(), err)
	}
}

func TestConcurrentReservesNeverExceed(t *testing.T) {
	b := New(0, 0)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b.Reserve(4096, "x") == nil {
			}
		}()
	}
	wg.Wait()
	if b.Used() > b.Limit() || b.Limit()-b.Used() >= 4096 {
		t.Errorf("used %d of %d", b.Used(), b.Limit())
	}
}

func TestCheckSize(t *testing.T) {
	if err := CheckSize("isd", 100, 100); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	err := CheckSize("isd", 101, 100)
	var e *SizeError
	if !errors.As(err, &e) || !errors.Is(err, ErrTooLarge) || e.Size != 101 || e.Max != 100 {
		t.Fatalf("over the limit: %#v", err)
	}
	if want := "isd: input is 101 bytes, more than the 100 allowed"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

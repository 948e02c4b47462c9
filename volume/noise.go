package volume

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
)

// Everything the generator draws is a function of the seed and of what it
// is drawing (a station, a kind, a day, an hour), never of the order it is
// drawn in: the same seed gives the same data for an hour whatever window
// is generated, so runs over overlapping windows agree where they overlap.

// key hashes the seed and a name into a 64-bit key.
func key(seed uint64, name string, parts ...int64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	put := func(v uint64) {
		for i := range b {
			b[i] = byte(v >> (8 * i))
		}
		h.Write(b[:])
	}
	put(seed)
	h.Write([]byte(name))
	for _, p := range parts {
		put(uint64(p))
	}
	return mix(h.Sum64())
}

// mix is the SplitMix64 finaliser: it spreads nearby keys apart.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// uniform is a number in [0, 1) for a key.
func uniform(k uint64) float64 { return float64(k>>11) / (1 << 53) }

// rng is a random source for one thing drawn (a day of earthquakes, a storm).
func rng(seed uint64, name string, parts ...int64) *rand.Rand {
	k := key(seed, name, parts...)
	return rand.New(rand.NewPCG(k, mix(k+0x9e3779b97f4a7c15)))
}

// smooth is value noise in [-1, 1]: random values at every multiple of
// period hours, joined smoothly. t is in hours since the Unix epoch.
func smooth(seed uint64, name string, id int64, t, period float64) float64 {
	x := t / period
	i := math.Floor(x)
	f := x - i
	f = f * f * (3 - 2*f)
	a := 2*uniform(key(seed, name, id, int64(i))) - 1
	b := 2*uniform(key(seed, name, id, int64(i)+1)) - 1
	return a + (b-a)*f
}

// poisson draws a Poisson count with mean m (m up to a few thousand).
func poisson(r *rand.Rand, m float64) int {
	if m > 50 {
		return max(0, int(math.Round(m+math.Sqrt(m)*r.NormFloat64())))
	}
	limit, p, n := math.Exp(-m), 1.0, 0
	for {
		p *= r.Float64()
		if p <= limit {
			return n
		}
		n++
	}
}

//go:build race

package hostile

// Slowdown is how many times slower code runs in this build: the race
// detector costs 5 to 10 times the CPU.
const Slowdown = 10

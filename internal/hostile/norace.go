//go:build !race

package hostile

// Slowdown is how many times slower code runs in this build.
const Slowdown = 1

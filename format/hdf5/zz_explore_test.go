package hdf5

import (
	"fmt"
	"testing"
)

func TestZZExplore(t *testing.T) {
	for _, p := range append(samples, "../../demo/samples/lightning/OR_GLM-L2-LCFA_G16_s20181830433000_e20181830433200_c20181830433231.nc") {
		f, data := open(t, p)
		fmt.Println("==", p, len(data))
		names, _ := f.Root().Names()
		for _, n := range names {
			ds, err := f.Root().Dataset(n)
			if err != nil {
				fmt.Println(n, err)
				continue
			}
			var fl []uint16
			for _, x := range ds.filters {
				fl = append(fl, x.id)
			}
			fmt.Printf("  %-40s obj@%d dims=%v max=%v size=%d class=%d layout=%d idx=%d chunk=%v addr=%d filters=%v\n", n, ds.obj.addr, ds.space.dims, ds.space.max, ds.dt.size, ds.dt.class, ds.layout.class, ds.layout.index, ds.layout.chunk, ds.layout.addr, fl)
		}
	}
}

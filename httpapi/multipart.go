package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"

	"github.com/99designs/gqlgen/graphql"
)

// multipartForm is the GraphQL multipart request transport (operations,
// then map, then files) with limits on every part. gqlgen's own transport
// applies one limit to the whole body, so a request without a file could
// send 11 MiB of query where 1 MiB is allowed, and it answers a body cut
// off by the limit with 422, which tells a client nothing.
//
//   - operations, map and any part without a file name count together
//     against maxFields (the limit of a JSON request);
//   - the whole body counts against maxBody (the upload limit), whatever
//     the transfer encoding: a chunked body is cut off at the limit;
//   - passing either limit is 413 REQUEST_TOO_LARGE; a malformed request
//     is 400 BAD_REQUEST;
//   - a file is kept in memory up to maxMemory, in a temporary file beyond
//     (removed when the request ends).
type multipartForm struct {
	maxFields, maxBody, maxMemory int64
	meter                         meter
}

var _ graphql.Transport = multipartForm{}

// Supports implements graphql.Transport.
func (f multipartForm) Supports(r *http.Request) bool {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && r.Method == http.MethodPost && mediaType == "multipart/form-data" && r.Header.Get("Upgrade") == ""
}

// errFieldsTooLarge: the parts other than files passed their limit.
type errFieldsTooLarge struct{ limit int64 }

func (e errFieldsTooLarge) Error() string {
	return fmt.Sprintf("the parts of a multipart request other than files are larger than %d bytes", e.limit)
}

// Do implements graphql.Transport.
func (f multipartForm) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	if r.ContentLength > f.maxBody {
		tooLarge(w, r, f.maxBody)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, f.maxBody)
	defer r.Body.Close()
	var cleanup []func()
	defer func() {
		for _, c := range cleanup {
			c()
		}
	}()
	params, err := f.read(r, &cleanup)
	var tl errFieldsTooLarge
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &tl):
		writeError(w, r, http.StatusRequestEntityTooLarge, codeTooLarge, tl.Error())
		return
	case errors.As(err, &mbe):
		tooLarge(w, r, f.maxBody)
		return
	case err != nil:
		writeError(w, r, http.StatusBadRequest, codeBadRequest, err.Error())
		return
	}
	if err := checkQuery(params); err != nil {
		writeError(w, r, http.StatusBadRequest, codeBadRequest, err.Error())
		return
	}
	media, ok := responseMedia(r)
	if !ok {
		writeError(w, r, http.StatusNotAcceptable, codeNotAcceptable,
			"the Accept header names no type this server answers with: "+mediaGraphQLResponse+" or "+mediaJSON)
		return
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	resp, status := run(w, r, exec, params, media, false, f.meter)
	writeResponse(w, media, status, resp)
}

// read parses the parts in the order the specification requires.
func (f multipartForm) read(r *http.Request, cleanup *[]func()) (*graphql.RawParams, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errors.New("not a multipart request")
	}
	budget := f.maxFields
	field := func(name string, into any) error {
		p, err := mr.NextPart()
		if err != nil {
			return nerr(err, "the first parts must be operations and map")
		}
		if p.FormName() != name {
			return fmt.Errorf("part %q must come first, then map, then the files", name)
		}
		b, err := readField(p, &budget, f.maxFields)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(into); err != nil {
			return fmt.Errorf("part %q is not valid JSON", name)
		}
		return nil
	}
	var params graphql.RawParams
	if err := field("operations", &params); err != nil {
		return nil, err
	}
	uploads := map[string][]string{}
	if err := field("map", &uploads); err != nil {
		return nil, err
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nerr(err, "a part could not be read")
		}
		paths := uploads[p.FormName()]
		if len(paths) == 0 {
			return nil, fmt.Errorf("part %q is not in map", p.FormName())
		}
		delete(uploads, p.FormName())
		if err := f.addFile(&params, p, paths, &budget, cleanup); err != nil {
			return nil, err
		}
	}
	for key := range uploads {
		return nil, fmt.Errorf("map names part %q, which the request does not have", key)
	}
	return &params, nil
}

// nerr keeps a body-limit error (it decides the status) and replaces any
// other parse error's text with msg.
func nerr(err error, msg string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return errors.New(msg)
}

// readField reads a part that is not a file within what is left of the
// fields' budget.
func readField(p *multipart.Part, budget *int64, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(p, *budget+1))
	if err != nil {
		return nil, nerr(err, "a part could not be read")
	}
	if int64(len(b)) > *budget {
		return nil, errFieldsTooLarge{limit}
	}
	*budget -= int64(len(b))
	return b, nil
}

// addFile reads one file part and binds it to its paths. A part without a
// file name is a form field, and counts against the fields' budget.
func (f multipartForm) addFile(params *graphql.RawParams, p *multipart.Part, paths []string, budget *int64, cleanup *[]func()) error {
	up := graphql.Upload{Filename: p.FileName(), ContentType: p.Header.Get("Content-Type")}
	var open func() (io.ReadSeeker, error)
	if p.FileName() == "" {
		b, err := readField(p, budget, f.maxFields)
		if err != nil {
			return err
		}
		up.Size, open = int64(len(b)), func() (io.ReadSeeker, error) { return bytes.NewReader(b), nil }
	} else {
		size, o, err := f.spool(p, cleanup)
		if err != nil {
			return err
		}
		up.Size, open = size, o
	}
	for _, path := range paths {
		file, err := open()
		if err != nil {
			return errors.New("the upload could not be kept")
		}
		up.File = file
		if err := params.AddUpload(up, p.FormName(), path); err != nil {
			return fmt.Errorf("map: %s", err.Message)
		}
	}
	return nil
}

// spool keeps a file in memory up to maxMemory, else in a temporary file.
func (f multipartForm) spool(p *multipart.Part, cleanup *[]func()) (int64, func() (io.ReadSeeker, error), error) {
	head, err := io.ReadAll(io.LimitReader(p, f.maxMemory+1))
	if err != nil {
		return 0, nil, nerr(err, "the file could not be read")
	}
	if int64(len(head)) <= f.maxMemory {
		return int64(len(head)), func() (io.ReadSeeker, error) { return bytes.NewReader(head), nil }, nil
	}
	tmp, err := os.CreateTemp("", "mkggraph-upload-")
	if err != nil {
		return 0, nil, errors.New("the upload could not be kept")
	}
	*cleanup = append(*cleanup, func() { tmp.Close(); os.Remove(tmp.Name()) })
	n, err := io.Copy(tmp, io.MultiReader(bytes.NewReader(head), p))
	if err != nil {
		return 0, nil, nerr(err, "the file could not be read")
	}
	return n, func() (io.ReadSeeker, error) {
		file, err := os.Open(tmp.Name())
		if err == nil {
			*cleanup = append(*cleanup, func() { file.Close() })
		}
		return file, err
	}, nil
}

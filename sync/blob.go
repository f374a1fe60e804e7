package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/azureblob" // azblob://
	_ "gocloud.dev/blob/s3blob"    // s3:// (AWS, MinIO, Ceph RGW, Wasabi...)
	"gocloud.dev/gcerrors"
)

// BlobTarget keeps the files in an object store through gocloud.dev/blob.
//
// Create-only writes use blob.WriterOptions.IfNotExist (If-None-Match: * on
// S3, an access condition on Azure): the store itself refuses to replace a
// file. Some S3-compatible servers ignore that header, so Put also checks
// that the name is free first; each name has one writer, so the check
// alone would already keep a device from overwriting its own segments.
type BlobTarget struct {
	bucket *blob.Bucket
	desc   string
}

// OpenBlobTarget opens an object-store URL (s3://bucket?endpoint=...&region=...,
// azblob://container).
func OpenBlobTarget(ctx context.Context, rawURL string) (*BlobTarget, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("sync target: %w", err)
	}
	b, err := blob.OpenBucket(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("open %s://%s: %w", u.Scheme, u.Host, err)
	}
	// The description leaves out the query, which may name an endpoint with
	// user info in it.
	return &BlobTarget{bucket: b, desc: u.Scheme + "://" + u.Host}, nil
}

func (b *BlobTarget) String() string { return b.desc }

// Close closes the bucket.
func (b *BlobTarget) Close() error { return b.bucket.Close() }

// classify marks network failures as offline; other errors keep their text.
func (b *BlobTarget) classify(op, name string, err error) error {
	var ne net.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.ErrUnexpectedEOF):
		return offline(b.desc, err)
	}
	switch gcerrors.Code(err) {
	case gcerrors.NotFound:
		return fmt.Errorf("%s: %w", name, ErrNotFound)
	case gcerrors.FailedPrecondition:
		return fmt.Errorf("%s: %w", name, ErrExist)
	case gcerrors.DeadlineExceeded, gcerrors.ResourceExhausted:
		return offline(b.desc, err)
	case gcerrors.PermissionDenied:
		return unwritable(b.desc, ErrTargetReadOnly, err)
	}
	return fmt.Errorf("%s %s on %s: %w", op, name, b.desc, err)
}

// List implements Target.
func (b *BlobTarget) List(ctx context.Context, prefix string) ([]Entry, error) {
	var out []Entry
	it := b.bucket.List(&blob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, b.classify("list", prefix, err)
		}
		if obj.IsDir {
			continue
		}
		out = append(out, Entry{Name: obj.Key, Size: obj.Size})
	}
	return out, nil
}

// Get implements Target.
func (b *BlobTarget) Get(ctx context.Context, name string) ([]byte, error) {
	data, err := b.bucket.ReadAll(ctx, name)
	if err != nil {
		return nil, b.classify("read", name, err)
	}
	return data, nil
}

// Put implements Target.
func (b *BlobTarget) Put(ctx context.Context, name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	exists, err := b.bucket.Exists(ctx, name)
	if err != nil {
		return b.classify("check", name, err)
	}
	if exists {
		return fmt.Errorf("%s: %w", name, ErrExist)
	}
	err = b.bucket.WriteAll(ctx, name, data, &blob.WriterOptions{
		IfNotExist:  true,
		ContentType: "application/octet-stream",
	})
	return b.classify("write", name, err)
}

// Delete implements Target.
func (b *BlobTarget) Delete(ctx context.Context, name string) error {
	err := b.bucket.Delete(ctx, name)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil
	}
	return b.classify("delete", name, err)
}

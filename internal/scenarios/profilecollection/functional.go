package profilecollection

import (
	"context"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

type profile struct{ username, page string }

var (
	user1 = profile{"user1", "<html><body><h1>user1! Welcome to my profile</h1></body></html>"}
	user2 = profile{"user2", "<html><body><h1>user2: Welcome to my profile</h1></body></html>"}
)

// addProfile posts a profile as upstream's client does: the username and the page as plain form fields
// (requests encodes data= fields first), the photo as a file part named profile_photo.png with type
// image/png.
func addProfile(ctx context.Context, app *apptest.App, p profile) (*apptest.Response, error) {
	return app.HTTP.PostMultipart(ctx, "/add_profile", []apptest.Part{
		{Field: "username", Data: []byte(p.username)},
		{Field: "profile_page", Data: []byte(p.page)},
		{Field: "profile_photo", FileName: "profile_photo.png", ContentType: "image/png", Data: photo()},
	}, nil)
}

// expect sends a request and requires an exact status.
func expect(r *apptest.Response, err error, want int, what string) error {
	if err != nil {
		return err
	}
	if r.Status != want {
		return scenario.Failf("%s: status %d, want %d (exchange #%d)", what, r.Status, want, r.Seq)
	}
	return nil
}

func funcUploadThenFetch(ctx context.Context, app *apptest.App) error {
	for _, want := range []int{201, 403} {
		for _, p := range []profile{user1, user2} {
			r, err := addProfile(ctx, app, p)
			if err := expect(r, err, want, "adding profile "+p.username); err != nil {
				return err
			}
		}
	}
	r, err := app.HTTP.Get(ctx, "/profile/nonexistent", nil)
	if err := expect(r, err, 404, "fetching a missing profile"); err != nil {
		return err
	}
	for _, p := range []profile{user1, user2} {
		r, err := app.HTTP.Get(ctx, "/profile/"+p.username, nil)
		if err := expect(r, err, 200, "fetching the profile of "+p.username); err != nil {
			return err
		}
		r, err = app.HTTP.Get(ctx, "/profile-photo/"+p.username, nil)
		if err := expect(r, err, 200, "fetching the photo of "+p.username); err != nil {
			return err
		}
	}
	return nil
}

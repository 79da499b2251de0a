/*
 * models.h - the Chinook sample database as annotated C structs.
 *
 * Ordinary C11: for any other compiler the CALX annotations expand to
 * nothing and these are plain structs. calx-reflect reads the annotations
 * and writes models.calx.c / models.calx.h (schema `chinook_schema`,
 * mappers `track_mapper`..., column handles TRACK_NAME..., constructors
 * track_new(s, .name = ...)).
 *
 * Table and column names are those of the original script
 * (data/Chinook_Sqlite.sql), so the generated DDL matches it column for
 * column; C members are snake_case. Ownership of char * members follows
 * calx/session.h: objects the session made or loaded own their strings.
 *
 * Choices worth knowing:
 * - NVARCHAR(n) counts characters, and the data is UTF-8 (São Paulo,
 *   Antônio Carlos Jobim), so text is mostly `char *` with an explicit
 *   VARCHAR(n). The employee names show the fixed-array alternative: a
 *   char[N] is checked against N bytes when set, never truncated.
 * - NUMERIC(10,2) prices are doubles: fine for a demo that prints with %.2f.
 *   An application that adds money up should store integer cents instead.
 * - Dates stay text ('2009-01-01 00:00:00'), as SQLite stores them.
 * - Nullable integer columns are calx_opt_* wrappers (calx/nullable.h):
 *   t->album_id.has_value says whether the track has an album. Plain
 *   scalars are NOT NULL columns; a NULL char * is SQL NULL.
 * - Every foreign key is also a relationship: a pointer on the
 *   referencing struct (track->album), and a
 *   CALX_LIST on the referenced one where the demo walks that way
 *   (artist->albums->tracks, invoice->lines, employee->reports). The join
 *   is inferred from the one foreign key between the two tables, and so
 *   is the pairing of the two sides, except for Employee, whose two sides
 *   are on one struct and name each other. The key columns stay: the
 *   loader fills them, and a pointer never set leaves them as they are.
 *   PlaylistTrack's two keys are the many-to-many playlist.tracks <->
 *   track.playlists: a table with no struct of its own to load.
 */
#ifndef CHINOOK_MODELS_H
#define CHINOOK_MODELS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

/*
 * The type-annotation map: every member declared with one of these
 * typedefs gets the SQL type named here, so the schema says it once.
 */
typedef char *chinook_name_t;   /* the NVARCHAR(120) "Name" of small tables */
CALX_TYPE(chinook_name_t, "VARCHAR(120)");

typedef char *chinook_date_t;   /* DATETIME text; PostgreSQL has TIMESTAMP */
CALX_TYPE(chinook_date_t, "DATETIME", "postgresql:TIMESTAMP");

typedef char *chinook_email_t;
CALX_TYPE(chinook_email_t, "VARCHAR(60)");

struct CALX_TABLE("Artist") artist {
	int32_t artist_id CALX(primary_key, name("ArtistId"));
	chinook_name_t name CALX(name("Name"));
	/* An album belongs to its artist (AlbumId's ArtistId is NOT NULL): deleted with it. */
	CALX_LIST(struct album) albums CALX(cascade("all, delete-orphan"));
	/* Not a column: the demo tallies tracks per artist here. */
	int32_t n_tracks CALX(transient);
};

struct CALX_TABLE("Album") album {
	int32_t album_id CALX(primary_key, name("AlbumId"));
	char *title CALX(not_null, name("Title"), type("VARCHAR(160)"));
	int32_t artist_id CALX(not_null, name("ArtistId"), index,
	                       foreign_key("Artist.ArtistId"));
	struct artist *artist;                   /* back_populates("albums"), inferred */
	/* Deleted with the album; one taken off the list stays, without an album (AlbumId is nullable). */
	CALX_LIST(struct track) tracks CALX(cascade("all"));
};

struct CALX_TABLE("Genre") genre {
	int32_t genre_id CALX(primary_key, name("GenreId"));
	chinook_name_t name CALX(name("Name"));
};

struct CALX_TABLE("MediaType") media_type {
	int32_t media_type_id CALX(primary_key, name("MediaTypeId"));
	chinook_name_t name CALX(name("Name"));
};

struct CALX_TABLE("Track") track {
	int32_t track_id CALX(primary_key, name("TrackId"));
	char *name CALX(not_null, name("Name"), type("VARCHAR(200)"));
	calx_opt_int32 album_id CALX(name("AlbumId"), index,
	                             foreign_key("Album.AlbumId"));
	int32_t media_type_id CALX(not_null, name("MediaTypeId"), index,
	                           foreign_key("MediaType.MediaTypeId"));
	calx_opt_int32 genre_id CALX(name("GenreId"), index,
	                             foreign_key("Genre.GenreId"));
	char *composer CALX(name("Composer"), type("VARCHAR(220)"));
	int32_t milliseconds CALX(not_null, name("Milliseconds"));
	calx_opt_int64 bytes CALX(name("Bytes"));
	/* The store's standard price: a new track costs 0.99 unless told. */
	double unit_price CALX(not_null, name("UnitPrice"), type("NUMERIC(10,2)"),
	                       default(0.99), check("\"UnitPrice\" >= 0"));
	struct album *album;                     /* back_populates("tracks"), inferred */
	struct media_type *media_type;           /* many-to-one only: no list on MediaType */
	struct genre *genre;                     /* many-to-one only: no list on Genre */
	/* The playlists this track is on, through PlaylistTrack. */
	CALX_LIST(struct playlist) playlists CALX(secondary("PlaylistTrack"), back_populates("tracks"));
};

/* Self-referential: ReportsTo is the manager's EmployeeId (NULL at the top). */
struct CALX_TABLE("Employee") employee {
	int32_t employee_id CALX(primary_key, name("EmployeeId"));
	char last_name[21] CALX(not_null, name("LastName"), type("VARCHAR(20)"));
	char first_name[21] CALX(not_null, name("FirstName"), type("VARCHAR(20)"));
	char *title CALX(name("Title"), type("VARCHAR(30)"));
	calx_opt_int32 reports_to CALX(name("ReportsTo"), index,
	                               foreign_key("Employee.EmployeeId"));
	chinook_date_t birth_date CALX(name("BirthDate"));
	chinook_date_t hire_date CALX(name("HireDate"));
	char *address CALX(name("Address"), type("VARCHAR(70)"));
	char *city CALX(name("City"), type("VARCHAR(40)"));
	char *state CALX(name("State"), type("VARCHAR(40)"));
	char *country CALX(name("Country"), type("VARCHAR(40)"));
	char *postal_code CALX(name("PostalCode"), type("VARCHAR(10)"));
	char *phone CALX(name("Phone"), type("VARCHAR(24)"));
	char *fax CALX(name("Fax"), type("VARCHAR(24)"));
	chinook_email_t email CALX(name("Email"));
	/* Both sides of ReportsTo: a self-referential pair names its partner. */
	struct employee *manager CALX(back_populates("reports"));
	CALX_LIST(struct employee) reports CALX(back_populates("manager"));
	/* The customers this employee supports (Customer.SupportRepId). */
	CALX_LIST(struct customer) customers;
};

struct CALX_TABLE("Customer") customer {
	int32_t customer_id CALX(primary_key, name("CustomerId"));
	char *first_name CALX(not_null, name("FirstName"), type("VARCHAR(40)"));
	char *last_name CALX(not_null, name("LastName"), type("VARCHAR(20)"));
	char *company CALX(name("Company"), type("VARCHAR(80)"));
	char *address CALX(name("Address"), type("VARCHAR(70)"));
	char *city CALX(name("City"), type("VARCHAR(40)"));
	char *state CALX(name("State"), type("VARCHAR(40)"));
	char *country CALX(name("Country"), type("VARCHAR(40)"));
	char *postal_code CALX(name("PostalCode"), type("VARCHAR(10)"));
	char *phone CALX(name("Phone"), type("VARCHAR(24)"));
	char *fax CALX(name("Fax"), type("VARCHAR(24)"));
	chinook_email_t email CALX(not_null, name("Email"));
	calx_opt_int32 support_rep_id CALX(name("SupportRepId"), index,
	                                   foreign_key("Employee.EmployeeId"));
	struct employee *support_rep;            /* back_populates("customers"), inferred */
	CALX_LIST(struct invoice) invoices;
};

struct CALX_TABLE("Invoice") invoice {
	int32_t invoice_id CALX(primary_key, name("InvoiceId"));
	int32_t customer_id CALX(not_null, name("CustomerId"), index,
	                         foreign_key("Customer.CustomerId"));
	chinook_date_t invoice_date CALX(not_null, name("InvoiceDate"));
	char *billing_address CALX(name("BillingAddress"), type("VARCHAR(70)"));
	char *billing_city CALX(name("BillingCity"), type("VARCHAR(40)"));
	char *billing_state CALX(name("BillingState"), type("VARCHAR(40)"));
	char *billing_country CALX(name("BillingCountry"), type("VARCHAR(40)"));
	char *billing_postal_code CALX(name("BillingPostalCode"), type("VARCHAR(10)"));
	double total CALX(not_null, name("Total"), type("NUMERIC(10,2)"));
	struct customer *customer;               /* back_populates("invoices"), inferred */
	/* A line exists only on its invoice (InvoiceId is NOT NULL). */
	CALX_LIST(struct invoice_line) lines CALX(cascade("all, delete-orphan"));
};

struct CALX_TABLE("InvoiceLine") invoice_line {
	int32_t invoice_line_id CALX(primary_key, name("InvoiceLineId"));
	int32_t invoice_id CALX(not_null, name("InvoiceId"), index,
	                        foreign_key("Invoice.InvoiceId"));
	int32_t track_id CALX(not_null, name("TrackId"), index,
	                      foreign_key("Track.TrackId"));
	double unit_price CALX(not_null, name("UnitPrice"), type("NUMERIC(10,2)"));
	int32_t quantity CALX(not_null, name("Quantity"), default(1));
	struct invoice *invoice;                 /* back_populates("lines"), inferred */
	struct track *track;                     /* many-to-one only: no list on Track */
};

struct CALX_TABLE("Playlist") playlist {
	int32_t playlist_id CALX(primary_key, name("PlaylistId"));
	chinook_name_t name CALX(name("Name"));
	/*
	 * Its tracks, through PlaylistTrack: appending or removing one writes
	 * an association row, and deleting the playlist deletes its rows.
	 */
	CALX_LIST(struct track) tracks CALX(secondary("PlaylistTrack"), back_populates("playlists"));
};

/*
 * The many-to-many link between playlists and tracks: a table, no mapper
 * (table_only), the secondary of playlist.tracks and track.playlists. Its
 * composite primary key is its two foreign keys, so neither is generated.
 */
struct CALX_TABLE("PlaylistTrack", table_only) playlist_track {
	int32_t playlist_id CALX(primary_key, name("PlaylistId"), index,
	                         foreign_key("Playlist.PlaylistId"));
	int32_t track_id CALX(primary_key, name("TrackId"), index,
	                      foreign_key("Track.TrackId"));
};

#endif /* CHINOOK_MODELS_H */

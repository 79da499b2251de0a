-- types_sqlite.sql: SQLite columns that calx-codegen maps to calx's value
-- types (tests/test_codegen.c): dates and times as another program
-- declares them, NUMERIC(p,s) and DECIMAL(p,s) holding REALs, NUMERICs
-- without a scale, and TEXT (which stays char *: nothing says it is JSON).
CREATE TABLE cgt_sqlite_values (
	id INTEGER PRIMARY KEY,
	happened DATETIME NOT NULL,
	happened_tz TIMESTAMP WITH TIME ZONE,
	on_day DATE,
	clock TIME,
	amount NUMERIC(10,2),
	price DECIMAL(10,2) NOT NULL,
	ratio NUMERIC,
	units NUMERIC(10),
	note TEXT
);

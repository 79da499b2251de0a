struct CALX_TABLE("rt_grades") grade {
	char code CALX(primary_key, char_as(text));
};

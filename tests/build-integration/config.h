/*
 * config.h: the project's build configuration, given to the compiler and
 * to calx-reflect alike with -include, so both read notes.h the same way.
 */
#define NOTE_TITLE_LEN 32

/*
 * pane.h -- styled text lines and scrollable panes for the curses screen (internal to src/ui/).
 *
 * A pane is a list of lines; a line is a list of segments, each a string with a style. Lines
 * are built from the model (src/ui/view.c) and drawn here with the wide-character ncursesw API,
 * measuring every string in terminal columns (wcwidth), never in bytes. Text shown here is
 * either our own literals or strings that went through the escaper (dns/rrtext.h,
 * dns/escape.h), so it never holds a terminal control; pane_put() still replaces anything
 * unprintable with '?' as a last line of defence.
 *
 * Needs an active curses screen for drawing (pane_put, pane_draw, ...); the builders
 * (pane_line_*, pane_lines_*) work without one.
 */
#ifndef DNSDECK_UI_PANE_H
#define DNSDECK_UI_PANE_H

#include <stdbool.h>
#include <stddef.h>

/** Visual roles; pane_styles_init() maps them to colours or to monochrome attributes. */
enum pane_style {
	PANE_NORMAL = 0,
	PANE_LABEL,     /**< a field name ("server", "flags") */
	PANE_VALUE,     /**< a field value */
	PANE_ON,        /**< a header flag that is set */
	PANE_OFF,       /**< a header flag that is clear */
	PANE_OK,        /**< a good outcome (NOERROR, a reply) */
	PANE_WARN,      /**< worth a look (NXDOMAIN, TC, discarded datagrams) */
	PANE_ERR,       /**< a failure (timeout, SERVFAIL, REFUSED, malformed) */
	PANE_ALERT,     /**< the banner line of a failure */
	PANE_HEADING,   /**< a section heading ("ANSWER (2)") */
	PANE_DIM,       /**< secondary text */
	PANE_OWNER,     /**< owner name column */
	PANE_TYPE,      /**< RR type column */
	PANE_BAR,       /**< a pane's title bar */
	PANE_BAR_FOCUS, /**< the focused pane's title bar */
	PANE_STATUS,    /**< the status line */
	PANE_KEY,       /**< a key name in the hints and in the help */
	PANE_TAB,       /**< a server tab */
	PANE_TAB_SEL,   /**< the selected server tab */
	PANE_NSTYLES
};

/** One run of text in one style. */
struct pane_seg {
	char *text; /**< owned; printable ASCII or our own UTF-8 literals */
	int style;  /**< enum pane_style */
};

/** One screen line. */
struct pane_line {
	struct pane_seg *segs;
	size_t nsegs;
	size_t cap;
	int width; /**< total width in columns */
};

/** The lines of a pane. */
struct pane_lines {
	struct pane_line *v;
	size_t n;
	size_t cap;
	int maxwidth; /**< widest line in columns */
	int frozen;   /**< columns on the left that stay put when scrolled sideways (the owner,
	                   TTL, class and type columns); 0 = the whole line scrolls */
};

/** A scrollable pane: its lines and where it is scrolled to. */
struct pane {
	struct pane_lines lines;
	int top;  /**< first line shown */
	int hoff; /**< columns scrolled to the right */
	int h;    /**< rows it had at the last draw (the page size) */
	int w;    /**< columns it had at the last draw */
};

/**
 * Choose the attributes of every style. Call after start_color() when colours are used.
 * \param[in] colour  use colour pairs (has_colors()); otherwise bold/reverse/dim/underline
 * \param[in] utf8    the locale's codeset is UTF-8 (pane_glyph() may return non-ASCII)
 */
void pane_styles_init(bool colour, bool utf8);

/** Glyphs with an ASCII fallback. */
enum pane_glyph {
	PANE_G_ARROW = 0, /**< "→" or "->" */
	PANE_G_ELLIPSIS,  /**< "…" or "..." */
	PANE_G_FOCUS,     /**< "▶" or ">" */
	PANE_G_SEP,       /**< "│" or "|" */
	PANE_G_CROSS      /**< "✗" or "x" */
};

/** \return the glyph for the current locale (a static string). */
const char *pane_glyph(enum pane_glyph g);

/**
 * Width of a string in terminal columns (multibyte aware; an unprintable or undecodable
 * character counts as one column, as pane_put() draws it as '?').
 */
int pane_textwidth(const char *s);

/**
 * Append a formatted segment to a line.
 * \return 0, or -1 when memory runs out (the line is unchanged).
 */
int pane_line_add(struct pane_line *l, int style, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * Append text padded with blanks to width columns (never truncated).
 * \param[in] right  align right instead of left
 * \return 0, or -1 when memory runs out.
 */
int pane_line_addw(struct pane_line *l, int style, int width, bool right, const char *text);

/** Free the segments of a line (the struct is the caller's). */
void pane_line_clear(struct pane_line *l);

/**
 * Append an empty line.
 * \return the new line, or NULL when memory runs out.
 */
struct pane_line *pane_lines_add(struct pane_lines *ls);

/** Recompute maxwidth after lines were filled. */
void pane_lines_measure(struct pane_lines *ls);

/** Free every line. */
void pane_lines_clear(struct pane_lines *ls);

/**
 * Draw a string at (y, x), skipping its first skip columns and drawing at most maxw columns.
 * \return the columns drawn.
 */
int pane_put(int y, int x, int maxw, int skip, int style, const char *s);

/** Fill w columns at (y, x) with blanks in a style. */
void pane_fill(int y, int x, int w, int style);

/**
 * Draw a line at (y, x) within w columns: its first frozen columns as they are, the rest
 * scrolled hoff columns to the right.
 * \param[in] base  style for the blank rest of the row (PANE_NORMAL or a bar style); segments
 *                  in PANE_NORMAL take this style too
 */
void pane_draw_line(int y, int x, int w, int hoff, int frozen, const struct pane_line *l, int base);

/** The frozen width a pane uses in w columns (none when it would leave too little room). */
int pane_frozen(const struct pane_lines *ls, int w);

/** Clamp a pane's top and hoff to its lines for a viewport of h rows and w columns. */
void pane_clamp(struct pane *p, int h, int w);

/** Draw a pane's visible lines into the h x w rectangle at (y, x) (clamping first). */
void pane_draw(struct pane *p, int y, int x, int h, int w);

/** Scroll a pane by n lines (negative: up); clamped at the next draw. */
void pane_scroll(struct pane *p, int n);

/** Free a pane's lines and reset its scroll position. */
void pane_reset(struct pane *p);

#endif

/*
 * escape.c -- the one escaper for untrusted bytes (see escape.h for the contract).
 */
#include "config.h"
#include "dns/escape.h"

#include <stdlib.h>
#include <string.h>

/* Bytes kept as they are: printable ASCII (minus '\\' for raw data). Others become \DDD. */
static int esc_keep(unsigned char c, int raw)
{
	return c >= 0x20 && c <= 0x7e && !(raw && c == '\\');
}

static size_t esc_any(char *dst, size_t dstlen, const void *buf, size_t len, int raw)
{
	const unsigned char *p = buf;
	size_t need = 0, used = 0;
	int full = dstlen == 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		size_t w = esc_keep(c, raw) ? 1 : 4;

		need += w;
		if (full || used + w >= dstlen) {
			full = 1;
			continue;
		}
		if (w == 1) {
			dst[used++] = (char)c;
		} else {
			dst[used++] = '\\';
			dst[used++] = (char)('0' + c / 100);
			dst[used++] = (char)('0' + c / 10 % 10);
			dst[used++] = (char)('0' + c % 10);
		}
	}
	if (dstlen > 0)
		dst[used] = '\0';
	return need;
}

size_t esc_buf(char *dst, size_t dstlen, const void *buf, size_t len)
{
	return esc_any(dst, dstlen, buf, len, 0);
}

static char *esc_alloc(const void *buf, size_t len, int raw)
{
	size_t need = esc_any(NULL, 0, buf, len, raw);
	char *out = malloc(need + 1);

	if (out == NULL)
		return NULL;
	esc_any(out, need + 1, buf, len, raw);
	return out;
}

char *esc_bytes(const void *buf, size_t len)
{
	return esc_alloc(buf, len, 0);
}

char *esc_raw(const void *buf, size_t len)
{
	return esc_alloc(buf, len, 1);
}

char *esc_str(const char *s)
{
	if (s == NULL)
		s = "";
	return esc_bytes(s, strlen(s));
}

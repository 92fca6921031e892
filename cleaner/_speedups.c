/* cleaner._speedups: what a line's text says (classify._text_features), in C,
 * for lines of printable ASCII (most lines of most dumps); every other line
 * is left to the Python code, which gives the same bytes for every line.
 *
 * Optional: `pip install .` builds it where a C compiler is found and goes on
 * without it where none is (cleaner.speedups then uses the Python code); the
 * environment variable CLEANER_PURE_PYTHON=1 makes cleaner ignore it.
 *
 * Each text's row is _TEXT_ROW_DOUBLES doubles (see classify.py): TEXT_HEAD,
 * TEXT_MIDDLE and the len_ge_* flags. Every number is the one the Python code
 * makes: counts are exact, a ratio is one IEEE division (as Python's true
 * division of two small ints), and the two logarithms are read from a table
 * Python's math.log1p made, or asked of it for a larger number.
 *
 * Also an article's band keys for the article index (dupindex.sketch) and a
 * page's line fingerprints (sitemodel), at the end of this file: the same
 * integers as the Python code.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <ctype.h>
#include <string.h>

#define HEAD_DOUBLES 13
#define MIDDLE_DOUBLES 2
#define N_LENGTH_BINS 5
#define ROW_DOUBLES (HEAD_DOUBLES + MIDDLE_DOUBLES + N_LENGTH_BINS)
#define MAX_STOPWORD_CHARS 8
#define SENTENCE_END_TAIL 6

typedef struct {
    uint64_t *stopwords; /* the ASCII stop words, each packed into a uint64, sorted */
    Py_ssize_t n_stopwords;
    double *log1p_table; /* math.log1p(k) for k below n_log1p */
    Py_ssize_t n_log1p;
    long length_bins[N_LENGTH_BINS];
    PyObject *log1p; /* math.log1p, for numbers past the table */
    int ready;
} State;

static State state;

static int is_word(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c; }

static int compare_keys(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int is_stopword(const unsigned char *token, Py_ssize_t length) {
    if (length > MAX_STOPWORD_CHARS) {
        return 0;
    }
    uint64_t key = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        key = (key << 8) | lower(token[i]);
    }
    return bsearch(&key, state.stopwords, (size_t)state.n_stopwords, sizeof(uint64_t), compare_keys) != NULL;
}

static int log1p_of(Py_ssize_t n, double *out) {
    if (n < state.n_log1p) {
        *out = state.log1p_table[n];
        return 0;
    }
    PyObject *value = PyObject_CallFunction(state.log1p, "n", n);
    if (value == NULL) {
        return -1;
    }
    *out = PyFloat_AsDouble(value);
    Py_DECREF(value);
    return PyErr_Occurred() ? -1 : 0;
}

/* Whether needle (lower case) is in text[0:n], case blind. */
static int contains_lower(const unsigned char *text, Py_ssize_t n, const char *needle) {
    Py_ssize_t m = (Py_ssize_t)strlen(needle);
    for (Py_ssize_t i = 0; i + m <= n; i++) {
        Py_ssize_t k = 0;
        while (k < m && lower(text[i + k]) == (unsigned char)needle[k]) {
            k++;
        }
        if (k == m) {
            return 1;
        }
    }
    return 0;
}

static int contains(const unsigned char *text, Py_ssize_t n, const char *needle) {
    Py_ssize_t m = (Py_ssize_t)strlen(needle);
    for (Py_ssize_t i = 0; i + m <= n; i++) {
        if (memcmp(text + i, needle, (size_t)m) == 0) {
            return 1;
        }
    }
    return 0;
}

/* URLISH (https?://|www\.|\S@\S|@\w) in printable ASCII, where the only space is " ". */
static int is_urlish(const unsigned char *s, Py_ssize_t n) {
    if (contains(s, n, "http://") || contains(s, n, "https://") || contains(s, n, "www.")) {
        return 1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] != '@' || i + 1 >= n) {
            continue;
        }
        if (is_word(s[i + 1]) || (i > 0 && s[i - 1] != ' ' && s[i + 1] != ' ')) {
            return 1;
        }
    }
    return 0;
}

/* The characters past ASCII that text_rows reads itself (the most common in
 * scraped text, none of them a word character, a space or a letter that case
 * changes), each as one byte of its own above ASCII, standing for what the
 * features see in it: every other character past ASCII leaves its text to Python. */
#define SYMBOL_ELLIPSIS 0x80  /* "…": ends a sentence, marks one */
#define SYMBOL_CLOSER 0x81    /* "”", "’": may stand after a sentence's end */
#define SYMBOL_GUILLEMET 0x82 /* "»": a closer and a separator */
#define SYMBOL_SEPARATOR 0x83 /* "•", "›", "·", "«", "‹" */
#define SYMBOL_DASH 0x84      /* "–", "—": a separator between spaces */
#define SYMBOL_COPYRIGHT 0x85 /* "©" */
#define SYMBOL_OTHER 0x86     /* any other symbol */

static int symbol_of(Py_UCS4 c) {
    switch (c) {
    case 0x2026: return SYMBOL_ELLIPSIS;
    case 0x201D: case 0x2019: return SYMBOL_CLOSER;
    case 0x00BB: return SYMBOL_GUILLEMET;
    case 0x2022: case 0x203A: case 0x00B7: case 0x00AB: case 0x2039: return SYMBOL_SEPARATOR;
    case 0x2013: case 0x2014: return SYMBOL_DASH;
    case 0x00A9: return SYMBOL_COPYRIGHT;
    case 0x201C: case 0x2018: case 0x25BA: case 0x00AE: case 0x00A3: case 0x20AC: case 0x00A2: case 0x00A5:
    case 0x00B0: case 0x00B1: case 0x00D7: case 0x00F7: case 0x00A7: case 0x00B6: case 0x2122:
        return SYMBOL_OTHER;
    default: return 0;
    }
}

static int is_closer(unsigned char c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == SYMBOL_CLOSER || c == SYMBOL_GUILLEMET;
}

/* The row of one text of printable ASCII and the symbols above (s, its first
 * n characters, one byte each; full, its length). */
static int text_row(const unsigned char *s, Py_ssize_t n, Py_ssize_t full, double *row) {
    Py_ssize_t tokens = 0, stopwords = 0, titled = 0, upper = 0, upper_long = 0, word_chars = 0, spaces = 0;
    Py_ssize_t digits = 0, commas = 0, marks = 0, separators = 0;
    Py_ssize_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (!is_word(c)) {
            if (c == ' ') {
                spaces++;
            } else if (c == ',') {
                commas++;
            } else if (c == '|' || c == '>' || c == '/' || c == SYMBOL_GUILLEMET || c == SYMBOL_SEPARATOR) {
                separators++;
            }
            if ((c == '.' || c == '!' || c == '?' || c == ';' || c == SYMBOL_ELLIPSIS) && (i + 1 == n || s[i + 1] == ' ')) {
                marks++;
            }
            i++;
            continue;
        }
        Py_ssize_t start = i;
        int has_upper = 0, has_lower = 0;
        while (i < n && is_word(s[i])) {
            c = s[i];
            if (c >= 'A' && c <= 'Z') {
                has_upper = 1;
            } else if (c >= 'a' && c <= 'z') {
                has_lower = 1;
            } else if (c >= '0' && c <= '9') {
                digits++;
            }
            i++;
        }
        Py_ssize_t length = i - start;
        tokens++;
        word_chars += length;
        stopwords += is_stopword(s + start, length);
        titled += (s[start] >= 'A' && s[start] <= 'Z');
        if (has_upper && !has_lower) { /* str.isupper */
            upper++;
            upper_long += length > 1;
        }
    }
    /* spaced dashes, " - ", as SPACED_DASH.findall counts them (matches do not overlap) */
    for (Py_ssize_t j = 0; j + 2 < n;) {
        if (s[j] == ' ' && (s[j + 1] == '-' || s[j + 1] == SYMBOL_DASH) && s[j + 2] == ' ') {
            separators++;
            j += 3;
        } else {
            j++;
        }
    }
    Py_ssize_t n_words = tokens > 1 ? tokens : 1;
    Py_ssize_t n_chars = n > 1 ? n : 1;
    Py_ssize_t symbols = n - word_chars - spaces;
    double ends_sentence = 0.0, ends_colon = 0.0, sentence_marks = 0.0, comma_ratio = 0.0, separator_ratio = 0.0;
    double urlish = 0.0;
    if (symbols) {
        Py_ssize_t tail = n < SENTENCE_END_TAIL ? 0 : n - SENTENCE_END_TAIL, j = n;
        while (j > tail && is_closer(s[j - 1])) {
            j--;
        }
        ends_sentence = (j > tail && (s[j - 1] == '.' || s[j - 1] == '!' || s[j - 1] == '?' || s[j - 1] == SYMBOL_ELLIPSIS))
                        ? 1.0 : 0.0;
        ends_colon = (n > 0 && s[n - 1] == ':') ? 1.0 : 0.0;
        sentence_marks = (double)marks / (double)n_words * 5;
        sentence_marks = sentence_marks < 1.0 ? sentence_marks : 1.0;
        comma_ratio = (double)commas / (double)n_words * 5;
        comma_ratio = comma_ratio < 1.0 ? comma_ratio : 1.0;
        separator_ratio = (double)separators / 3;
        separator_ratio = separator_ratio < 1.0 ? separator_ratio : 1.0;
        urlish = is_urlish(s, n) ? 1.0 : 0.0;
    }
    double log_chars, log_words;
    if (log1p_of(full, &log_chars) < 0 || log1p_of(tokens, &log_words) < 0) {
        return -1;
    }
    row[0] = log_chars;
    row[1] = log_words;
    row[2] = ends_sentence;
    row[3] = ends_colon;
    row[4] = sentence_marks;
    row[5] = comma_ratio;
    row[6] = (double)stopwords / (double)n_words;
    row[7] = (double)titled / (double)n_words;
    row[8] = (double)(upper ? upper_long : 0) / (double)n_words;
    row[9] = (double)digits / (double)n_chars;
    row[10] = (double)symbols / (double)n_chars;
    row[11] = (n > 0 && !is_alnum(s[0])) ? 1.0 : 0.0;
    row[12] = separator_ratio;
    row[13] = urlish;
    row[14] = (memchr(s, SYMBOL_COPYRIGHT, (size_t)n) != NULL || contains_lower(s, n, "(c)") || contains_lower(s, n, "copyright")
               || contains_lower(s, n, "all rights reserved")) ? 1.0 : 0.0;
    for (int k = 0; k < N_LENGTH_BINS; k++) {
        row[HEAD_DOUBLES + MIDDLE_DOUBLES + k] = full >= state.length_bins[k] ? 1.0 : 0.0;
    }
    return 0;
}

/* Whether s[0:n] is all printable ASCII (" " to "~"). */
/* Appends item (a new reference, or NULL from the call that failed to make it)
 * to list and lets go of it: -1 where either failed. */
static int append_new(PyObject *list, PyObject *item) {
    int failed = item == NULL || PyList_Append(list, item) < 0;
    Py_XDECREF(item);
    return failed ? -1 : 0;
}

static int printable_ascii(const unsigned char *s, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e) {
            return 0;
        }
    }
    return 1;
}

/* The first n characters of a text past ASCII as bytes (symbol_of's for the
 * symbols) into out; 0 when one is neither printable ASCII nor such a symbol. */
static int as_symbol_bytes(PyObject *text, Py_ssize_t n, unsigned char *out) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 0x20 && c <= 0x7e) {
            out[i] = (unsigned char)c;
            continue;
        }
        int symbol = symbol_of(c);
        if (!symbol) {
            return 0;
        }
        out[i] = (unsigned char)symbol;
    }
    return 1;
}

PyDoc_STRVAR(setup_doc,
"setup(stopwords, log1p_table, length_bins, log1p)\n\n"
"The fixed knowledge text_rows reads: the stop words (those of ASCII letters\n"
"are used), math.log1p(k) for k = 0, 1, ..., the length bins, and math.log1p.");

static PyObject *setup(PyObject *self, PyObject *args) {
    PyObject *words, *table, *bins, *log1p;
    if (!PyArg_ParseTuple(args, "OOOO", &words, &table, &bins, &log1p)) {
        return NULL;
    }
    PyObject *word_list = PySequence_Fast(words, "stopwords must be iterable");
    PyObject *table_list = PySequence_Fast(table, "log1p_table must be a sequence");
    PyObject *bin_list = PySequence_Fast(bins, "length_bins must be a sequence");
    if (word_list == NULL || table_list == NULL || bin_list == NULL) {
        goto fail;
    }
    if (PySequence_Fast_GET_SIZE(bin_list) != N_LENGTH_BINS) {
        PyErr_SetString(PyExc_ValueError, "length_bins: wrong number of bins");
        goto fail;
    }
    Py_ssize_t n_words = PySequence_Fast_GET_SIZE(word_list), n_table = PySequence_Fast_GET_SIZE(table_list);
    uint64_t *keys = PyMem_Calloc((size_t)(n_words + 1), sizeof(uint64_t));
    double *values = PyMem_Calloc((size_t)(n_table + 1), sizeof(double));
    if (keys == NULL || values == NULL) {
        PyMem_Free(keys);
        PyMem_Free(values);
        PyErr_NoMemory();
        goto fail;
    }
    Py_ssize_t n_keys = 0;
    for (Py_ssize_t i = 0; i < n_words; i++) {
        Py_ssize_t length;
        const char *word = PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(word_list, i), &length);
        if (word == NULL) {
            PyMem_Free(keys);
            PyMem_Free(values);
            goto fail;
        }
        int plain = length <= MAX_STOPWORD_CHARS;
        uint64_t key = 0;
        for (Py_ssize_t k = 0; plain && k < length; k++) {
            unsigned char c = (unsigned char)word[k];
            plain = c >= 0x20 && c <= 0x7e && c == lower(c);
            key = (key << 8) | c;
        }
        if (plain && length > 0) {
            keys[n_keys++] = key;
        }
    }
    qsort(keys, (size_t)n_keys, sizeof(uint64_t), compare_keys);
    for (Py_ssize_t i = 0; i < n_table; i++) {
        values[i] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(table_list, i));
    }
    for (int k = 0; k < N_LENGTH_BINS; k++) {
        state.length_bins[k] = PyLong_AsLong(PySequence_Fast_GET_ITEM(bin_list, k));
    }
    if (PyErr_Occurred()) {
        PyMem_Free(keys);
        PyMem_Free(values);
        goto fail;
    }
    PyMem_Free(state.stopwords);
    PyMem_Free(state.log1p_table);
    Py_XDECREF(state.log1p);
    state.stopwords = keys;
    state.n_stopwords = n_keys;
    state.log1p_table = values;
    state.n_log1p = n_table;
    Py_INCREF(log1p);
    state.log1p = log1p;
    state.ready = 1;
    Py_DECREF(word_list);
    Py_DECREF(table_list);
    Py_DECREF(bin_list);
    Py_RETURN_NONE;
fail:
    Py_XDECREF(word_list);
    Py_XDECREF(table_list);
    Py_XDECREF(bin_list);
    return NULL;
}

PyDoc_STRVAR(text_rows_doc,
"text_rows(texts, sample_chars) -> (bytes, list[int])\n\n"
"Each text's row of doubles, one after another, read from its first\n"
"sample_chars characters; and the indexes of the texts that are not printable\n"
"ASCII there, whose rows are left 0.0 for the caller to make.");

static PyObject *text_rows(PyObject *self, PyObject *args) {
    PyObject *texts;
    Py_ssize_t sample_chars;
    if (!PyArg_ParseTuple(args, "O!n", &PyList_Type, &texts, &sample_chars)) {
        return NULL;
    }
    if (!state.ready) {
        PyErr_SetString(PyExc_RuntimeError, "cleaner._speedups.setup() was not called");
        return NULL;
    }
    Py_ssize_t n_texts = PyList_GET_SIZE(texts);
    unsigned char *symbols = NULL; /* a text's characters as bytes, when it is not ASCII */
    PyObject *table = PyBytes_FromStringAndSize(NULL, n_texts * ROW_DOUBLES * (Py_ssize_t)sizeof(double));
    PyObject *others = PyList_New(0);
    if (table == NULL || others == NULL) {
        goto fail;
    }
    symbols = PyMem_Malloc((size_t)(sample_chars > 0 ? sample_chars : 1));
    if (symbols == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    double *rows = (double *)PyBytes_AS_STRING(table);
    memset(rows, 0, (size_t)(n_texts * ROW_DOUBLES) * sizeof(double));
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        PyObject *text = PyList_GET_ITEM(texts, t);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "texts must be str");
            goto fail;
        }
        Py_ssize_t full = PyUnicode_GET_LENGTH(text);
        Py_ssize_t n = full < sample_chars ? full : sample_chars;
        const unsigned char *s = PyUnicode_IS_ASCII(text) ? (const unsigned char *)PyUnicode_DATA(text) : NULL;
        if (s != NULL ? !printable_ascii(s, n) : !as_symbol_bytes(text, n, symbols)) {
            if (append_new(others, PyLong_FromSsize_t(t)) < 0) {
                goto fail;
            }
            continue;
        }
        if (text_row(s != NULL ? s : symbols, n, full, rows + t * ROW_DOUBLES) < 0) {
            goto fail;
        }
    }
    PyMem_Free(symbols);
    return Py_BuildValue("(NN)", table, others);
fail:
    PyMem_Free(symbols);
    Py_XDECREF(table);
    Py_XDECREF(others);
    return NULL;
}

/* ---- An article's band keys (dupindex.sketch.band_keys), a page's line
 * fingerprints (sitemodel.line_fingerprints) ----
 * Each shingle (SHINGLE_WORDS words joined by spaces, as UTF-8) hashed with
 * BLAKE2b of 8 bytes (RFC 7693, no key: hashlib.blake2b(digest_size=8)), as a
 * little-endian integer; each bin keeps the smallest hash >> 8 of its shingles,
 * an empty bin is densified, and each band's values are hashed again. A line's
 * fingerprint: BLAKE2b of 8 bytes of its match key, read big-endian. The same
 * integers as the Python code, which runs where this is not built. */

static const uint64_t blake2b_iv[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static const unsigned char blake2b_sigma[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
};

static inline uint64_t rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static inline uint64_t load64(const unsigned char *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x;
    memcpy(&x, p, sizeof x); /* BLAKE2b reads its words little-endian: as they lie here */
    return x;
#else
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--) {
        x = (x << 8) | p[i];
    }
    return x;
#endif
}

#define BLAKE2B_G(a, b, c, d, x, y)     \
    do {                                \
        a = a + b + (x);                \
        d = rotr64(d ^ a, 32);          \
        c = c + d;                      \
        b = rotr64(b ^ c, 24);          \
        a = a + b + (y);                \
        d = rotr64(d ^ a, 16);          \
        c = c + d;                      \
        b = rotr64(b ^ c, 63);          \
    } while (0)

#define BLAKE2B_ROUND(r)                                                                     \
    do {                                                                                     \
        BLAKE2B_G(v[0], v[4], v[8], v[12], m[blake2b_sigma[r][0]], m[blake2b_sigma[r][1]]);   \
        BLAKE2B_G(v[1], v[5], v[9], v[13], m[blake2b_sigma[r][2]], m[blake2b_sigma[r][3]]);   \
        BLAKE2B_G(v[2], v[6], v[10], v[14], m[blake2b_sigma[r][4]], m[blake2b_sigma[r][5]]);  \
        BLAKE2B_G(v[3], v[7], v[11], v[15], m[blake2b_sigma[r][6]], m[blake2b_sigma[r][7]]);  \
        BLAKE2B_G(v[0], v[5], v[10], v[15], m[blake2b_sigma[r][8]], m[blake2b_sigma[r][9]]);  \
        BLAKE2B_G(v[1], v[6], v[11], v[12], m[blake2b_sigma[r][10]], m[blake2b_sigma[r][11]]); \
        BLAKE2B_G(v[2], v[7], v[8], v[13], m[blake2b_sigma[r][12]], m[blake2b_sigma[r][13]]);  \
        BLAKE2B_G(v[3], v[4], v[9], v[14], m[blake2b_sigma[r][14]], m[blake2b_sigma[r][15]]);  \
    } while (0)

static void blake2b_compress(uint64_t h[8], const unsigned char block[128], uint64_t counter, int last) {
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) {
        m[i] = load64(block + 8 * i);
    }
    for (int i = 0; i < 8; i++) {
        v[i] = h[i];
        v[i + 8] = blake2b_iv[i];
    }
    v[12] ^= counter; /* the counter's high word stays 0: inputs are far below 2**64 bytes */
    if (last) {
        v[14] = ~v[14];
    }
    /* the twelve rounds written out, as the reference code does: each message
     * word's index is then a constant, and v and m can live in registers
     * (an article's band keys hash each of its shingles: about 1,000) */
    BLAKE2B_ROUND(0);
    BLAKE2B_ROUND(1);
    BLAKE2B_ROUND(2);
    BLAKE2B_ROUND(3);
    BLAKE2B_ROUND(4);
    BLAKE2B_ROUND(5);
    BLAKE2B_ROUND(6);
    BLAKE2B_ROUND(7);
    BLAKE2B_ROUND(8);
    BLAKE2B_ROUND(9);
    BLAKE2B_ROUND(10);
    BLAKE2B_ROUND(11);
    for (int i = 0; i < 8; i++) {
        h[i] ^= v[i] ^ v[i + 8];
    }
}

/* BLAKE2b of 8 bytes of n bytes of data, read little-endian. */
static uint64_t blake2b_8(const unsigned char *data, size_t n) {
    uint64_t h[8];
    unsigned char block[128];
    memcpy(h, blake2b_iv, sizeof h);
    h[0] ^= 0x01010000ULL ^ 8; /* depth 1, fanout 1, no key, 8 bytes out */
    uint64_t counter = 0;
    while (n > 128) {
        counter += 128;
        blake2b_compress(h, data, counter, 0);
        data += 128;
        n -= 128;
    }
    memset(block, 0, sizeof block);
    memcpy(block, data, n);
    blake2b_compress(h, block, counter + n, 1);
    return h[0];
}

PyDoc_STRVAR(band_keys_doc,
"band_keys(words, shingle_words, bands, rows) -> tuple of bands signed ints, or None\n\n"
"dupindex.sketch.band_keys of a list of at least one word (str); None where a word\n"
"cannot be UTF-8 (the Python code then says so).");

static PyObject *band_keys(PyObject *self, PyObject *args) {
    PyObject *words;
    Py_ssize_t shingle_words, bands, rows;
    if (!PyArg_ParseTuple(args, "O!nnn", &PyList_Type, &words, &shingle_words, &bands, &rows)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(words), n_bins = bands * rows;
    if (n < 1 || shingle_words < 1 || bands < 1 || rows < 1 || bands > 256 || n_bins > 255) {
        PyErr_SetString(PyExc_ValueError, "band_keys: no words, or bands and rows out of range");
        return NULL;
    }
    Py_ssize_t span = shingle_words < n ? shingle_words : n;
    const char **texts = PyMem_Malloc(n * sizeof *texts);
    Py_ssize_t *sizes = PyMem_Malloc(n * sizeof *sizes);
    uint64_t *mins = PyMem_Malloc(n_bins * sizeof *mins);
    uint64_t *values = PyMem_Malloc(n_bins * sizeof *values);
    char *filled = PyMem_Calloc(n_bins, 1);
    unsigned char *shingle = NULL;
    PyObject *keys = NULL;
    if (texts == NULL || sizes == NULL || mins == NULL || values == NULL || filled == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    size_t longest = 0, window = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *word = PyList_GET_ITEM(words, i);
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "band_keys: words must be str");
            goto done;
        }
        texts[i] = PyUnicode_AsUTF8AndSize(word, &sizes[i]);
        if (texts[i] == NULL) { /* a lone surrogate: the Python code raises its own error */
            PyErr_Clear();
            keys = Py_NewRef(Py_None);
            goto done;
        }
        window += sizes[i] + 1;
        if (i >= span) {
            window -= sizes[i - span] + 1;
        }
        if (i >= span - 1 && window > longest) {
            longest = window;
        }
    }
    shingle = PyMem_Malloc(longest + 1);
    if (shingle == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t start = 0; start + span <= n; start++) {
        size_t length = 0;
        for (Py_ssize_t w = start; w < start + span; w++) {
            if (w > start) {
                shingle[length++] = ' ';
            }
            memcpy(shingle + length, texts[w], sizes[w]);
            length += sizes[w];
        }
        uint64_t hash = blake2b_8(shingle, length);
        Py_ssize_t bin = (Py_ssize_t)(hash % (uint64_t)n_bins);
        uint64_t value = hash >> 8;
        if (!filled[bin] || value < mins[bin]) {
            mins[bin] = value;
            filled[bin] = 1;
        }
    }
    /* sketch._densified: from the right, twice round */
    Py_ssize_t donor = -1;
    memset(values, 0, n_bins * sizeof *values);
    for (Py_ssize_t position = 2 * n_bins - 1; position >= 0; position--) {
        Py_ssize_t slot = position % n_bins;
        if (filled[slot]) {
            donor = position;
            values[slot] = mins[slot] << 8;
        } else if (position < n_bins && donor >= 0) {
            values[slot] = (mins[donor % n_bins] << 8) | (uint64_t)(donor - position);
        }
    }
    keys = PyTuple_New(bands);
    if (keys == NULL) {
        goto done;
    }
    unsigned char packed[1 + 8 * 255];
    for (Py_ssize_t band = 0; band < bands; band++) {
        packed[0] = (unsigned char)band;
        for (Py_ssize_t r = 0; r < rows; r++) {
            uint64_t value = values[band * rows + r];
            for (int b = 0; b < 8; b++) {
                packed[1 + 8 * r + b] = (unsigned char)(value >> (8 * b));
            }
        }
        PyObject *key = PyLong_FromLongLong((long long)blake2b_8(packed, 1 + 8 * rows));
        if (key == NULL) {
            Py_CLEAR(keys);
            goto done;
        }
        PyTuple_SET_ITEM(keys, band, key);
    }
done:
    PyMem_Free(texts);
    PyMem_Free(sizes);
    PyMem_Free(mins);
    PyMem_Free(values);
    PyMem_Free(filled);
    PyMem_Free(shingle);
    return keys;
}

PyDoc_STRVAR(line_fingerprints_doc,
"line_fingerprints(keys) -> list of ints, or None\n\n"
"BLAKE2b of 8 bytes of each str's UTF-8, read big-endian (sitemodel.line_fingerprints'\n"
"values, in order); None where a key cannot be UTF-8 (the Python code then says so).");

static PyObject *line_fingerprints(PyObject *self, PyObject *keys) {
    if (!PyList_Check(keys)) {
        PyErr_SetString(PyExc_TypeError, "line_fingerprints: keys must be a list");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(keys);
    PyObject *found = PyList_New(n);
    if (found == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        if (!PyUnicode_Check(key)) {
            Py_DECREF(found);
            PyErr_SetString(PyExc_TypeError, "line_fingerprints: keys must be str");
            return NULL;
        }
        Py_ssize_t size;
        const char *text = PyUnicode_AsUTF8AndSize(key, &size);
        if (text == NULL) { /* a lone surrogate: the Python code raises its own error */
            PyErr_Clear();
            Py_DECREF(found);
            Py_RETURN_NONE;
        }
        uint64_t hash = blake2b_8((const unsigned char *)text, (size_t)size), value = 0;
        for (int b = 0; b < 8; b++) { /* the digest's bytes, first byte highest */
            value = (value << 8) | ((hash >> (8 * b)) & 0xff);
        }
        PyObject *item = PyLong_FromUnsignedLongLong(value);
        if (item == NULL) {
            Py_DECREF(found);
            return NULL;
        }
        PyList_SET_ITEM(found, i, item);
    }
    return found;
}

/* ---- end of the band keys and line fingerprints ---- */
/* ---- The text line model's two logistic stages (classify._text_scores) ----
 *
 * A row's weighted sum is made as Python's sum(map(operator.mul, weights, row))
 * makes it: from 0, in the row's order, plainly before Python 3.12 and with
 * Neumaier's compensation from 3.12 on (builtins.sum changed); the products are
 * never fused with the additions (no FMA). exp, log and log1p are the C
 * library's, as math's. */

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#elif defined(__clang__)
#pragma clang fp contract(off)
#endif

#include <math.h>

#define STAGE2_CONTEXT_DOUBLES 10
#define NEAR_WINDOW 3
#define WIDE_WINDOW 8
#define FAR_WINDOW 25
#define MASS_CAP_CHARS 1000
#define LOGIT_MARGIN 1e-6
#define MIN_LOGIT (-30.0)
/* classify's LONG_LINE_CHARS, MAX_DISTANCE, EDGE_MASS_RATIO; and its
 * CONTEXT_FEATURES and TEXT_FEATURES, in a row */
#define LONG_LINE_CHARS 120
#define MAX_DISTANCE 30
#define EDGE_MASS_RATIO 0.02
#define CONTEXT_DOUBLES 14
/* of which CONTEXT_FEATURES, shared with HTML pages (which add their own extra features) */
#define LINE_CONTEXT_DOUBLES 11

typedef struct {
    double hi, lo;
} Sum;

static inline void sum_add(Sum *sum, double x) {
#if PY_VERSION_HEX >= 0x030C0000
    double t = sum->hi + x;
    if (fabs(sum->hi) >= fabs(x)) {
        sum->lo += (sum->hi - t) + x;
    } else {
        sum->lo += (x - t) + sum->hi;
    }
    sum->hi = t;
#else
    sum->hi += x;
#endif
}

static inline double sum_value(Sum sum) {
#if PY_VERSION_HEX >= 0x030C0000
    if (sum.lo != 0.0 && isfinite(sum.lo)) {
        return sum.hi + sum.lo;
    }
#endif
    return sum.hi;
}

/* intercept + sum(w * x) over the pieces of a row, then the logistic. */
static double logistic(double intercept, Sum sum) {
    double z = intercept + sum_value(sum);
    if (z < MIN_LOGIT) {
        return 0.0;
    }
    return 1.0 / (1.0 + exp(-z));
}

static inline void dot_add(Sum *sum, const double *weights, const double *values, Py_ssize_t n) {
    for (Py_ssize_t k = 0; k < n; k++) {
        double product = weights[k] * values[k];
        sum_add(sum, product);
    }
}

/* The prefix sums of values (classify._prefix_sums): sums[0] = 0.0, then each added. */
static void prefix_sums(const double *values, Py_ssize_t n, double *sums) {
    sums[0] = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        sums[i + 1] = sums[i] + values[i];
    }
}

/* classify._window_means at i, from the values' prefix sums. */
static inline double window_mean(const double *sums, Py_ssize_t n, Py_ssize_t i, Py_ssize_t half) {
    Py_ssize_t low = i - half > 0 ? i - half : 0, high = i + half + 1 < n ? i + half + 1 : n;
    return (sums[high] - sums[low]) / (double)(high - low);
}

/* The columns a text page's context features are read from: the prefix sums
 * of the averaged text features, margins and comment stamps, and each line's
 * distance to a long line and the prose before it (classify._context_features,
 * _text_extra_features). */
enum { LOG_CHARS, ENDS, STOPS, BLANKS, STAMPS, PROSE, N_COLUMNS };
static const int AVERAGED[3] = {0, 2, 6}; /* classify._AVERAGED: log_chars, ends_sentence, stopwords */

typedef struct {
    Py_buffer texts, of_text, of_part, blank, stamps, after, lengths, weights1, weights2;
    Py_buffer extra; /* an HTML page's: its HTML_FEATURES, extra_doubles a line (no stamps, no after) */
    PyObject *parts;
    Py_ssize_t n, n_texts, part_doubles, row_doubles, extra_doubles;
    double *sums[N_COLUMNS]; /* n + 1 each */
    int *distance;
    double total_mass;
} Page;

static int page_columns(Page *page, double *values) {
    Py_ssize_t n = page->n;
    const int *of_text = page->of_text.buf;
    const unsigned char *blank = page->blank.buf, *stamps = page->stamps.buf;
    const long *lengths = page->lengths.buf;
    for (int c = 0; c < 3; c++) {
        for (Py_ssize_t i = 0; i < n; i++) {
            values[i] = ((const double *)page->texts.buf)[of_text[i] * ROW_DOUBLES + AVERAGED[c]];
        }
        prefix_sums(values, n, page->sums[c]);
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        values[i] = blank[i] ? 1.0 : 0.0;
    }
    prefix_sums(values, n, page->sums[BLANKS]);
    for (Py_ssize_t i = 0; i < n && page->stamps.len; i++) {
        values[i] = stamps[i] ? 1.0 : 0.0;
    }
    if (page->stamps.len) {
        prefix_sums(values, n, page->sums[STAMPS]);
    }
    Sum total = {0.0, 0.0};
    for (Py_ssize_t i = 0; i < n; i++) {
        values[i] = lengths[i] >= LONG_LINE_CHARS ? (double)lengths[i] : 0.0;
        sum_add(&total, values[i]);
    }
    prefix_sums(values, n, page->sums[PROSE]);
    page->total_mass = sum_value(total) != 0.0 ? sum_value(total) : 1.0;
    /* classify._distance_to_long */
    Py_ssize_t last = -MAX_DISTANCE - 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        last = lengths[i] >= LONG_LINE_CHARS ? i : last;
        page->distance[i] = (int)(i - last < MAX_DISTANCE ? i - last : MAX_DISTANCE);
    }
    last = n + MAX_DISTANCE + 1;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {
        last = lengths[i] >= LONG_LINE_CHARS ? i : last;
        page->distance[i] = (int)(last - i < page->distance[i] ? last - i : page->distance[i]);
    }
    return 0;
}

/* Line i's context and extra features (CONTEXT_FEATURES, then TEXT_FEATURES, or
 * an HTML page's HTML_FEATURES). */
static void page_context(const Page *page, Py_ssize_t i, double *at) {
    Py_ssize_t n = page->n;
    double *const *sums = page->sums;
    double before = sums[PROSE][i] / page->total_mass;
    double after = (page->total_mass - sums[PROSE][i + 1]) / page->total_mass;
    at[0] = window_mean(sums[LOG_CHARS], n, i, NEAR_WINDOW);
    at[1] = window_mean(sums[ENDS], n, i, NEAR_WINDOW);
    at[2] = window_mean(sums[STOPS], n, i, NEAR_WINDOW);
    at[3] = window_mean(sums[BLANKS], n, i, NEAR_WINDOW);
    at[4] = window_mean(sums[LOG_CHARS], n, i, WIDE_WINDOW);
    at[5] = window_mean(sums[ENDS], n, i, WIDE_WINDOW);
    at[6] = log1p((double)page->distance[i]);
    at[7] = before;
    at[8] = after;
    at[9] = before < EDGE_MASS_RATIO ? 1.0 : 0.0;
    at[10] = after < EDGE_MASS_RATIO ? 1.0 : 0.0;
    if (page->extra_doubles) {
        size_t size = (size_t)page->extra_doubles * sizeof(double);
        memcpy(at + LINE_CONTEXT_DOUBLES, (const char *)page->extra.buf + (size_t)i * size, size);
        return;
    }
    at[11] = window_mean(sums[STAMPS], n, i, NEAR_WINDOW);
    at[12] = window_mean(sums[STAMPS], n, i, WIDE_WINDOW);
    at[13] = ((const unsigned char *)page->after.buf)[i] ? 1.0 : 0.0;
}

/* Line i's stage-1 row (OWN_FEATURES, CONTEXT_FEATURES, TEXT_FEATURES) into row. */
static void page_row(const Page *page, Py_ssize_t i, double *row) {
    const double *text = (const double *)page->texts.buf + ((const int *)page->of_text.buf)[i] * ROW_DOUBLES;
    PyObject *part = PyList_GET_ITEM(page->parts, ((const int *)page->of_part.buf)[i]);
    double *at = row;
    memcpy(at, text, HEAD_DOUBLES * sizeof(double));
    at += HEAD_DOUBLES;
    memcpy(at, PyBytes_AS_STRING(part), (size_t)page->part_doubles * sizeof(double));
    at += page->part_doubles;
    memcpy(at, text + HEAD_DOUBLES, MIDDLE_DOUBLES * sizeof(double));
    at += MIDDLE_DOUBLES;
    *at++ = (double)i / (double)(page->n > 1 ? page->n - 1 : 1);
    memcpy(at, text + HEAD_DOUBLES + MIDDLE_DOUBLES, N_LENGTH_BINS * sizeof(double));
    at += N_LENGTH_BINS;
    page_context(page, i, at);
}

/* Whether the page's pieces fit together (a text page's stamps and after, or
 * an HTML page's extra: see Page); sets n, n_texts, part_doubles, row_doubles
 * and extra_doubles. */
static int page_check(Page *page) {
    Py_ssize_t n = page->of_text.len / (Py_ssize_t)sizeof(int);
    int html = page->extra.buf != NULL;
    page->n = n;
    page->n_texts = page->texts.len / (Py_ssize_t)(ROW_DOUBLES * sizeof(double));
    page->extra_doubles = html && n ? page->extra.len / (n * (Py_ssize_t)sizeof(double)) : 0;
    if (page->of_part.len != page->of_text.len || page->lengths.len != n * (Py_ssize_t)sizeof(long)
        || page->blank.len != n || page->stamps.len != (html ? 0 : n) || page->after.len != (html ? 0 : n)
        || (html && (page->extra_doubles == 0 || page->extra.len != n * page->extra_doubles * (Py_ssize_t)sizeof(double)))
        || page->of_text.itemsize != sizeof(int) || page->of_part.itemsize != sizeof(int) || n == 0) {
        PyErr_SetString(PyExc_ValueError, "line scores: of_text, of_part, blank, lengths and stamps, after or extra: one a line");
        return -1;
    }
    Py_ssize_t n_parts = PyList_GET_SIZE(page->parts);
    page->part_doubles = n_parts ? PyBytes_GET_SIZE(PyList_GET_ITEM(page->parts, 0)) / (Py_ssize_t)sizeof(double) : 0;
    for (Py_ssize_t k = 0; k < n_parts; k++) {
        PyObject *part = PyList_GET_ITEM(page->parts, k);
        if (!PyBytes_Check(part) || PyBytes_GET_SIZE(part) != page->part_doubles * (Py_ssize_t)sizeof(double)) {
            PyErr_SetString(PyExc_ValueError, "linear_scores: parts must be bytes of one size");
            return -1;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int t = ((const int *)page->of_text.buf)[i], p = ((const int *)page->of_part.buf)[i];
        if (t < 0 || t >= page->n_texts || p < 0 || p >= n_parts) {
            PyErr_SetString(PyExc_IndexError, "linear_scores: a line's text or part is out of range");
            return -1;
        }
    }
    page->row_doubles = HEAD_DOUBLES + page->part_doubles + MIDDLE_DOUBLES + 1 + N_LENGTH_BINS
                        + (html ? LINE_CONTEXT_DOUBLES + page->extra_doubles : CONTEXT_DOUBLES);
    if ((page->weights1.buf != NULL && page->weights1.len != page->row_doubles * (Py_ssize_t)sizeof(double))
        || (!html && page->weights2.buf != NULL
            && page->weights2.len != (STAGE2_CONTEXT_DOUBLES + page->row_doubles) * (Py_ssize_t)sizeof(double))) {
        PyErr_SetString(PyExc_ValueError, "linear_scores: the rows and the weights do not have one width");
        return -1;
    }
    return 0;
}

/* Stage 2's context of line i (classify._stage2_rows), from stage 1's scores
 * (first) and the prefix sums of them (near, wide, far: the same sums) and of
 * their masses. */
static void stage2_context(const double *first, Py_ssize_t n, Py_ssize_t i, const double *sums,
                           const double *mass_sums, double *out) {
    double around[2 * NEAR_WINDOW];
    for (Py_ssize_t k = 0; k < NEAR_WINDOW; k++) {
        Py_ssize_t before = i - NEAR_WINDOW + k, after = i + 1 + k;
        around[k] = before >= 0 ? first[before] : 0.0;
        around[NEAR_WINDOW + k] = after < n ? first[after] : 0.0;
    }
    double p = first[i];
    double kept = p > LOGIT_MARGIN ? p : LOGIT_MARGIN;
    kept = kept < 1 - LOGIT_MARGIN ? kept : 1 - LOGIT_MARGIN;
    double top = around[0], sum_before = around[0], sum_after = around[NEAR_WINDOW];
    for (int k = 1; k < 2 * NEAR_WINDOW; k++) {
        top = around[k] > top ? around[k] : top;
    }
    for (int k = 1; k < NEAR_WINDOW; k++) {
        sum_before += around[k];
        sum_after += around[NEAR_WINDOW + k];
    }
    Py_ssize_t high = i + WIDE_WINDOW + 1 < n ? i + WIDE_WINDOW + 1 : n, low = i - WIDE_WINDOW > 0 ? i - WIDE_WINDOW : 0;
    out[0] = log(kept / (1 - kept));
    out[1] = window_mean(sums, n, i, NEAR_WINDOW);
    out[2] = window_mean(sums, n, i, WIDE_WINDOW);
    out[3] = around[NEAR_WINDOW - 1];
    out[4] = around[NEAR_WINDOW];
    out[5] = top;
    out[6] = log1p(window_mean(mass_sums, n, i, WIDE_WINDOW) * (double)(high - low));
    out[7] = sum_before / NEAR_WINDOW;
    out[8] = sum_after / NEAR_WINDOW;
    out[9] = window_mean(sums, n, i, FAR_WINDOW);
}

/* Stage 2 of a text page: the logistic model of the page's weights2 and
 * intercept, or, where nodes is not NULL, a tree ensemble (trees_predict:
 * intercept is its base). */
typedef struct {
    double intercept;
    const double *nodes;
    const int *roots;
    Py_ssize_t n_trees;
} Stage2;

static int trees_check(const double *nodes, Py_ssize_t n_nodes, const int *roots, Py_ssize_t n_trees, Py_ssize_t width);
static double trees_predict(const double *nodes, const int *roots, Py_ssize_t n_trees, double base, const double *x);

/* Both stages; row: room for STAGE2_CONTEXT_DOUBLES + row_doubles; work: 2 * (n + 1) doubles. */
static void page_scores(const Page *page, double intercept1, const Stage2 *second, double *row, double *first,
                        double *work, double *out) {
    Py_ssize_t n = page->n, width = page->row_doubles;
    const double *w1 = page->weights1.buf, *w2 = page->weights2.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        Sum sum = {0.0, 0.0};
        page_row(page, i, row);
        dot_add(&sum, w1, row, width);
        first[i] = logistic(intercept1, sum);
    }
    double *sums = work, *mass_sums = work + n + 1;
    prefix_sums(first, n, sums);
    for (Py_ssize_t i = 0; i < n; i++) {
        long chars = ((const long *)page->lengths.buf)[i];
        out[i] = first[i] * (double)(chars < MASS_CAP_CHARS ? chars : MASS_CAP_CHARS); /* out: the masses, for now */
    }
    prefix_sums(out, n, mass_sums);
    for (Py_ssize_t i = 0; i < n; i++) {
        stage2_context(first, n, i, sums, mass_sums, row);
        page_row(page, i, row + STAGE2_CONTEXT_DOUBLES);
        if (second->nodes != NULL) {
            out[i] = trees_predict(second->nodes, second->roots, second->n_trees, second->intercept, row);
            continue;
        }
        Sum sum = {0.0, 0.0};
        dot_add(&sum, w2, row, STAGE2_CONTEXT_DOUBLES);
        dot_add(&sum, w2 + STAGE2_CONTEXT_DOUBLES, row + STAGE2_CONTEXT_DOUBLES, width);
        out[i] = logistic(second->intercept, sum);
    }
}

/* Opens a page whose buffers are filled: checked, its columns made (work:
 * N_COLUMNS * (n + 1) doubles, then n more). */
static double *page_open(Page *page) {
    if (page_check(page) < 0) {
        return NULL;
    }
    Py_ssize_t n = page->n;
    double *work = PyMem_Malloc((size_t)(N_COLUMNS + 1) * (size_t)(n + 1) * sizeof(double));
    page->distance = PyMem_Malloc((size_t)n * sizeof(int));
    if (work == NULL || page->distance == NULL) {
        PyMem_Free(work);
        PyErr_NoMemory();
        return NULL;
    }
    for (int c = 0; c < N_COLUMNS; c++) {
        page->sums[c] = work + (size_t)c * (size_t)(n + 1);
    }
    page_columns(page, work + (size_t)N_COLUMNS * (size_t)(n + 1));
    return work;
}

static void page_release(Page *page) {
    PyMem_Free(page->distance);
    page->distance = NULL;
    PyBuffer_Release(&page->texts);
    PyBuffer_Release(&page->of_text);
    PyBuffer_Release(&page->of_part);
    PyBuffer_Release(&page->blank);
    PyBuffer_Release(&page->stamps);
    PyBuffer_Release(&page->after);
    PyBuffer_Release(&page->lengths);
    PyBuffer_Release(&page->extra);
    PyBuffer_Release(&page->weights1);
    PyBuffer_Release(&page->weights2);
}

/* A text page's line scores (linear_scores, text_tree_scores), its buffers
 * parsed: a new bytes object, or NULL with an exception set. Releases the page. */
static PyObject *text_page_scores(Page *page, double intercept1, const Stage2 *second, Py_ssize_t n_nodes) {
    PyObject *result = NULL;
    double *row = NULL, *first = NULL, *sums = NULL, *work = page_open(page);
    if (work == NULL) {
        goto done;
    }
    Py_ssize_t n = page->n;
    if (second->nodes != NULL
        && trees_check(second->nodes, n_nodes, second->roots, second->n_trees,
                       STAGE2_CONTEXT_DOUBLES + page->row_doubles) < 0) {
        goto done;
    }
    row = PyMem_Malloc((size_t)(STAGE2_CONTEXT_DOUBLES + page->row_doubles) * sizeof(double));
    first = PyMem_Malloc((size_t)n * sizeof(double));
    sums = PyMem_Malloc(2 * (size_t)(n + 1) * sizeof(double));
    result = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(double));
    if (row == NULL || first == NULL || sums == NULL || result == NULL) {
        Py_CLEAR(result);
        PyErr_NoMemory();
        goto done;
    }
    page_scores(page, intercept1, second, row, first, sums, (double *)PyBytes_AS_STRING(result));
done:
    PyMem_Free(row);
    PyMem_Free(first);
    PyMem_Free(sums);
    PyMem_Free(work);
    page_release(page);
    return result;
}

PyDoc_STRVAR(linear_scores_doc,
"linear_scores(texts, of_text, parts, of_part, blank, stamps, after, lengths,\n"
"              weights1, intercept1, weights2, intercept2) -> bytes\n\n"
"A text page's line scores, one double a line: stage 1 (a logistic model,\n"
"weights1 and intercept1) on each line's row (classify's FEATURE_NAMES), made\n"
"from its text's row in texts (text_rows' table; of_text: an int array), its\n"
"part (parts: list of bytes; of_part: an int array), its margin (blank: a byte\n"
"a line), the comment stamps (stamps: a byte a line) and the lines in a page's\n"
"comments (after: a byte a line), and lengths (a long array); then stage 2\n"
"on stage 1's scores around each line followed by its row. The numbers are\n"
"Python's to the last bit.");

static PyObject *linear_scores(PyObject *self, PyObject *args) {
    Page page;
    memset(&page, 0, sizeof(page));
    double intercept1;
    Stage2 second = {0.0, NULL, NULL, 0};
    if (!PyArg_ParseTuple(args, "y*y*O!y*y*y*y*y*y*dy*d", &page.texts, &page.of_text, &PyList_Type, &page.parts,
                          &page.of_part, &page.blank, &page.stamps, &page.after, &page.lengths,
                          &page.weights1, &intercept1, &page.weights2, &second.intercept)) {
        return NULL;
    }
    return text_page_scores(&page, intercept1, &second, 0);
}

PyDoc_STRVAR(text_tree_scores_doc,
"text_tree_scores(texts, of_text, parts, of_part, blank, stamps, after, lengths,\n"
"                 weights1, intercept1, nodes, roots, base) -> bytes\n\n"
"linear_scores with stage 2 a tree ensemble (nodes: 5 doubles a node; roots:\n"
"an int array, a tree's first node; base; as html_second_scores reads them)\n"
"on the same rows. Python's numbers to the last bit.");

static PyObject *text_tree_scores(PyObject *self, PyObject *args) {
    Page page;
    memset(&page, 0, sizeof(page));
    Py_buffer nodes = {0}, roots = {0};
    double intercept1;
    Stage2 second = {0.0, NULL, NULL, 0};
    if (!PyArg_ParseTuple(args, "y*y*O!y*y*y*y*y*y*dy*y*d", &page.texts, &page.of_text, &PyList_Type, &page.parts,
                          &page.of_part, &page.blank, &page.stamps, &page.after, &page.lengths,
                          &page.weights1, &intercept1, &nodes, &roots, &second.intercept)) {
        return NULL;
    }
    PyObject *result = NULL;
    Py_ssize_t n_nodes = nodes.len / (5 * (Py_ssize_t)sizeof(double));
    second.n_trees = roots.len / (Py_ssize_t)sizeof(int);
    if (nodes.len != 5 * n_nodes * (Py_ssize_t)sizeof(double) || roots.len != second.n_trees * (Py_ssize_t)sizeof(int)
        || second.n_trees == 0) {
        PyErr_SetString(PyExc_ValueError, "text_tree_scores: nodes or roots: wrong size");
        page_release(&page);
    } else {
        second.nodes = nodes.buf;
        second.roots = roots.buf;
        result = text_page_scores(&page, intercept1, &second, n_nodes);
    }
    PyBuffer_Release(&nodes);
    PyBuffer_Release(&roots);
    return result;
}

/* ---- An HTML page's two stages (classify._html_scores) ----
 *
 * Stage 1 is the logistic model above on rows whose last features are the
 * page's HTML_FEATURES (extra, made in Python); stage 2 an ensemble of
 * regression trees on stage 1's scores around a line, in the elements around
 * it (classify._likely_regions) and the line's own row. A tree's nodes are 5
 * doubles (feature, threshold, left, right, value; a leaf's feature is -1),
 * the children numbered among all the trees' nodes and after their parent; the
 * leaves are added to base one tree after another, as the Python code does. */

#define REGION_DOUBLES 5

PyDoc_STRVAR(html_first_scores_doc,
"html_first_scores(texts, of_text, parts, of_part, blank, lengths, extra,\n"
"                  weights1, intercept1) -> bytes\n\n"
"An HTML page's stage-1 line scores, one double a line: linear_scores' first\n"
"stage on rows (classify's HTML_FEATURE_NAMES) whose last features are each\n"
"line's in extra (packed doubles, the same number a line). Python's numbers\n"
"to the last bit.");

static PyObject *html_first_scores(PyObject *self, PyObject *args) {
    Page page;
    memset(&page, 0, sizeof(page));
    double intercept1;
    if (!PyArg_ParseTuple(args, "y*y*O!y*y*y*y*y*d", &page.texts, &page.of_text, &PyList_Type, &page.parts,
                          &page.of_part, &page.blank, &page.lengths, &page.extra, &page.weights1, &intercept1)) {
        return NULL;
    }
    PyObject *result = NULL;
    double *row = NULL, *work = page_open(&page);
    if (work == NULL) {
        goto done;
    }
    row = PyMem_Malloc((size_t)page.row_doubles * sizeof(double));
    result = PyBytes_FromStringAndSize(NULL, page.n * (Py_ssize_t)sizeof(double));
    if (row == NULL || result == NULL) {
        Py_CLEAR(result);
        PyErr_NoMemory();
        goto done;
    }
    double *out = (double *)PyBytes_AS_STRING(result);
    for (Py_ssize_t i = 0; i < page.n; i++) {
        Sum sum = {0.0, 0.0};
        page_row(&page, i, row);
        dot_add(&sum, page.weights1.buf, row, page.row_doubles);
        out[i] = logistic(intercept1, sum);
    }
done:
    PyMem_Free(row);
    PyMem_Free(work);
    page_release(&page);
    return result;
}

/* The sums of classify._likely_regions, by element number + 1 (-1: none). */
typedef struct {
    double *likely_parent, *likely_grandparent, *likely_article, *length_parent, *length_grandparent;
    double total;
} Regions;

static double *regions_make(Regions *regions, const Page *page, const double *first, const int *parents,
                            const int *containers) {
    Py_ssize_t n = page->n, top = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int ids[3] = {parents[2 * i], parents[2 * i + 1], containers[i]};
        for (int k = 0; k < 3; k++) {
            if (ids[k] < -1) {
                PyErr_SetString(PyExc_ValueError, "html_second_scores: an element number below -1");
                return NULL;
            }
            top = ids[k] + 1 > top ? ids[k] + 1 : top;
        }
    }
    size_t size = (size_t)top + 1;
    double *room = PyMem_Calloc(5 * size, sizeof(double));
    if (room == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    regions->likely_parent = room;
    regions->likely_grandparent = room + size;
    regions->likely_article = room + 2 * size;
    regions->length_parent = room + 3 * size;
    regions->length_grandparent = room + 4 * size;
    double total = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        long length = ((const long *)page->lengths.buf)[i];
        double chars = (double)(length < MASS_CAP_CHARS ? length : MASS_CAP_CHARS), mass = first[i] * chars;
        int parent = parents[2 * i] + 1, grandparent = parents[2 * i + 1] + 1, article = containers[i] + 1;
        total += mass;
        regions->likely_parent[parent] += mass;
        regions->likely_grandparent[grandparent] += mass;
        regions->likely_article[article] += mass;
        regions->length_parent[parent] += chars;
        regions->length_grandparent[grandparent] += chars;
    }
    regions->total = total != 0.0 ? total : 1.0;
    return room;
}

static void regions_of(const Regions *regions, int parent, int grandparent, int article, double *out) {
    double total = regions->total, parent_chars = regions->length_parent[parent + 1];
    double grandparent_chars = regions->length_grandparent[grandparent + 1];
    out[0] = parent >= 0 ? regions->likely_parent[parent + 1] / total : 0.0;
    out[1] = grandparent >= 0 ? regions->likely_grandparent[grandparent + 1] / total : 0.0;
    out[2] = article >= 0 ? regions->likely_article[article + 1] / total : 0.0;
    out[3] = regions->likely_parent[parent + 1] / (parent_chars != 0.0 ? parent_chars : 1.0);
    out[4] = regions->likely_grandparent[grandparent + 1] / (grandparent_chars != 0.0 ? grandparent_chars : 1.0);
}

/* Whether the trees can be walked on rows of width doubles: every child after its node, every feature in the row. */
static int trees_check(const double *nodes, Py_ssize_t n_nodes, const int *roots, Py_ssize_t n_trees, Py_ssize_t width) {
    for (Py_ssize_t k = 0; k < n_nodes; k++) {
        const double *node = nodes + 5 * k;
        if (node[0] >= 0 && !(node[0] < (double)width && node[2] > (double)k && node[2] < (double)n_nodes
                              && node[3] > (double)k && node[3] < (double)n_nodes)) {
            PyErr_SetString(PyExc_ValueError, "tree ensemble: a node's feature or children out of range");
            return -1;
        }
    }
    for (Py_ssize_t t = 0; t < n_trees; t++) {
        if (roots[t] < 0 || roots[t] >= n_nodes) {
            PyErr_SetString(PyExc_ValueError, "tree ensemble: a tree's root out of range");
            return -1;
        }
    }
    return 0;
}

/* base + each tree's leaf for row x, then the sigmoid of classify._sigmoid_of. */
static double trees_predict(const double *nodes, const int *roots, Py_ssize_t n_trees, double base, const double *x) {
    double z = base;
    for (Py_ssize_t t = 0; t < n_trees; t++) {
        const double *node = nodes + 5 * roots[t];
        while (node[0] >= 0) {
            node = nodes + 5 * (Py_ssize_t)(x[(Py_ssize_t)node[0]] <= node[1] ? node[2] : node[3]);
        }
        z += node[4];
    }
    if (z < MIN_LOGIT) {
        return 1e-13;
    }
    return 1.0 / (1.0 + exp(-(z < -MIN_LOGIT ? z : -MIN_LOGIT)));
}

PyDoc_STRVAR(html_second_scores_doc,
"html_second_scores(texts, of_text, parts, of_part, blank, lengths, extra,\n"
"                   first, floor, parents, containers, nodes, roots, base) -> bytes\n\n"
"An HTML page's final line scores, one double a line: a line whose stage-1\n"
"score (first: a double a line) is below floor keeps it; the others get\n"
"stage 2, the tree ensemble (nodes: 5 doubles a node; roots: an int array,\n"
"a tree's first node; base) on the row STAGE2_CONTEXT, STAGE2_HTML_CONTEXT\n"
"(the element numbers of each line's parent and grandparent, an int array of\n"
"two a line, and of its <article>, one a line), then its stage-1 row (as in\n"
"html_first_scores). Python's numbers to the last bit.");

static PyObject *html_second_scores(PyObject *self, PyObject *args) {
    Page page;
    memset(&page, 0, sizeof(page));
    Py_buffer first = {0}, parents = {0}, containers = {0}, nodes = {0}, roots = {0};
    double floor_score, base;
    if (!PyArg_ParseTuple(args, "y*y*O!y*y*y*y*y*dy*y*y*y*d", &page.texts, &page.of_text, &PyList_Type, &page.parts,
                          &page.of_part, &page.blank, &page.lengths, &page.extra, &first, &floor_score, &parents,
                          &containers, &nodes, &roots, &base)) {
        return NULL;
    }
    PyObject *result = NULL;
    double *x = NULL, *room = NULL, *sums = NULL, *work = page_open(&page);
    if (work == NULL) {
        goto done;
    }
    Py_ssize_t n = page.n, width = STAGE2_CONTEXT_DOUBLES + REGION_DOUBLES + page.row_doubles;
    Py_ssize_t n_nodes = nodes.len / (5 * (Py_ssize_t)sizeof(double)), n_trees = roots.len / (Py_ssize_t)sizeof(int);
    if (first.len != n * (Py_ssize_t)sizeof(double) || parents.len != 2 * n * (Py_ssize_t)sizeof(int)
        || containers.len != n * (Py_ssize_t)sizeof(int) || nodes.len != 5 * n_nodes * (Py_ssize_t)sizeof(double)
        || roots.len != n_trees * (Py_ssize_t)sizeof(int)) {
        PyErr_SetString(PyExc_ValueError, "html_second_scores: first, parents, containers, nodes or roots: wrong size");
        goto done;
    }
    if (trees_check(nodes.buf, n_nodes, roots.buf, n_trees, width) < 0) {
        goto done;
    }
    const double *scores = first.buf;
    Regions regions;
    x = PyMem_Malloc((size_t)width * sizeof(double));
    sums = PyMem_Malloc(3 * (size_t)(n + 1) * sizeof(double));
    result = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(double));
    if (x == NULL || sums == NULL || result == NULL) {
        Py_CLEAR(result);
        PyErr_NoMemory();
        goto done;
    }
    room = regions_make(&regions, &page, scores, parents.buf, containers.buf);
    if (room == NULL) {
        Py_CLEAR(result);
        goto done;
    }
    double *out = (double *)PyBytes_AS_STRING(result), *masses = sums + 2 * (n + 1);
    prefix_sums(scores, n, sums);
    for (Py_ssize_t i = 0; i < n; i++) {
        long chars = ((const long *)page.lengths.buf)[i];
        masses[i] = scores[i] * (double)(chars < MASS_CAP_CHARS ? chars : MASS_CAP_CHARS);
    }
    prefix_sums(masses, n, sums + n + 1);
    const int *parent_of = parents.buf, *container_of = containers.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (scores[i] < floor_score) {
            out[i] = scores[i];
            continue;
        }
        stage2_context(scores, n, i, sums, sums + n + 1, x);
        regions_of(&regions, parent_of[2 * i], parent_of[2 * i + 1], container_of[i], x + STAGE2_CONTEXT_DOUBLES);
        page_row(&page, i, x + STAGE2_CONTEXT_DOUBLES + REGION_DOUBLES);
        out[i] = trees_predict(nodes.buf, roots.buf, n_trees, base, x);
    }
done:
    PyMem_Free(x);
    PyMem_Free(room);
    PyMem_Free(sums);
    PyMem_Free(work);
    page_release(&page);
    PyBuffer_Release(&first);
    PyBuffer_Release(&parents);
    PyBuffer_Release(&containers);
    PyBuffer_Release(&nodes);
    PyBuffer_Release(&roots);
    return result;
}

/* ---- end of the line model's stages ---- */

/* ---- Near-duplicate candidates (dedupe._candidates) ----
 *
 * A match key's tokens are its runs of characters between single spaces
 * (str.split(" ")), those of at least min_chars characters, each once. A key's
 * candidates are the earlier keys that share one of its rarest tokens. */

typedef struct {
    Py_ssize_t *items;
    Py_ssize_t n, room;
} Indexes;

/* Room for more than n items in *items (room for *room): doubled until there is. */
static int make_room(void **items, Py_ssize_t n, Py_ssize_t *room, size_t item_size) {
    if (n < *room) {
        return 0;
    }
    Py_ssize_t more = *room ? *room * 2 : 8;
    while (more <= n) {
        more *= 2;
    }
    void *grown = PyMem_Realloc(*items, (size_t)more * item_size);
    if (grown == NULL) {
        return -1;
    }
    *items = grown;
    *room = more;
    return 0;
}

static int indexes_add(Indexes *list, Py_ssize_t value) {
    if (make_room((void **)&list->items, list->n, &list->room, sizeof(Py_ssize_t)) < 0) {
        return -1;
    }
    list->items[list->n++] = value;
    return 0;
}

typedef struct {
    const void *data; /* the key's characters */
    int kind;         /* their PyUnicode kind */
    Py_ssize_t start, length;
    Py_hash_t hash;
    Py_ssize_t lines; /* how many keys hold it */
    Indexes posting;  /* the keys indexed under it, in order */
} Token;

typedef struct {
    Token *tokens;
    Py_ssize_t n_tokens, room;
    Py_ssize_t *slots; /* open addressing: a token's index + 1, 0 when free */
    size_t mask;
} Tokens;

static Py_hash_t token_hash(const void *data, int kind, Py_ssize_t start, Py_ssize_t length) {
    Py_uhash_t h = 1469598103934665603ULL;
    for (Py_ssize_t k = start; k < start + length; k++) {
        h = (h ^ (Py_uhash_t)PyUnicode_READ(kind, data, k)) * 1099511628211ULL;
    }
    return (Py_hash_t)h;
}

/* Python's order of two tokens (code point by code point, a prefix first). */
static int token_compare(const Token *a, const Token *b) {
    Py_ssize_t n = a->length < b->length ? a->length : b->length;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_UCS4 x = PyUnicode_READ(a->kind, a->data, a->start + k), y = PyUnicode_READ(b->kind, b->data, b->start + k);
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return (a->length > b->length) - (a->length < b->length);
}

static int token_equal(const Token *a, const void *data, int kind, Py_ssize_t start, Py_ssize_t length) {
    if (a->length != length) {
        return 0;
    }
    for (Py_ssize_t k = 0; k < length; k++) {
        if (PyUnicode_READ(a->kind, a->data, a->start + k) != PyUnicode_READ(kind, data, start + k)) {
            return 0;
        }
    }
    return 1;
}

static int tokens_grow(Tokens *table) {
    size_t size = table->mask ? (table->mask + 1) * 2 : 1024;
    Py_ssize_t *slots = PyMem_Calloc(size, sizeof(Py_ssize_t));
    if (slots == NULL) {
        return -1;
    }
    for (Py_ssize_t t = 0; t < table->n_tokens; t++) {
        size_t at = (size_t)table->tokens[t].hash & (size - 1);
        while (slots[at]) {
            at = (at + 1) & (size - 1);
        }
        slots[at] = t + 1;
    }
    PyMem_Free(table->slots);
    table->slots = slots;
    table->mask = size - 1;
    return 0;
}

/* The index of a token (added if new), or -1 when memory ran out. */
static Py_ssize_t tokens_find(Tokens *table, const void *data, int kind, Py_ssize_t start, Py_ssize_t length) {
    if ((size_t)(table->n_tokens + 1) * 2 > table->mask && tokens_grow(table) < 0) {
        return -1;
    }
    Py_hash_t hash = token_hash(data, kind, start, length);
    size_t at = (size_t)hash & table->mask;
    while (table->slots[at]) {
        Token *token = &table->tokens[table->slots[at] - 1];
        if (token->hash == hash && token_equal(token, data, kind, start, length)) {
            return table->slots[at] - 1;
        }
        at = (at + 1) & table->mask;
    }
    if (make_room((void **)&table->tokens, table->n_tokens, &table->room, sizeof(Token)) < 0) {
        return -1;
    }
    Token *token = &table->tokens[table->n_tokens];
    memset(token, 0, sizeof(Token));
    token->data = data;
    token->kind = kind;
    token->start = start;
    token->length = length;
    token->hash = hash;
    table->slots[at] = table->n_tokens + 1;
    return table->n_tokens++;
}

static void tokens_free(Tokens *table) {
    for (Py_ssize_t t = 0; t < table->n_tokens; t++) {
        PyMem_Free(table->tokens[t].posting.items);
    }
    PyMem_Free(table->tokens);
    PyMem_Free(table->slots);
}

/* Each key's distinct tokens (of_key[starts[j]:starts[j+1]]) and each token's line count. */
static int key_tokens(PyObject *keys, Py_ssize_t min_chars, Tokens *table, Indexes *of_key, Py_ssize_t *starts) {
    Py_ssize_t n_keys = PyList_GET_SIZE(keys);
    for (Py_ssize_t j = 0; j < n_keys; j++) {
        PyObject *key = PyList_GET_ITEM(keys, j);
        starts[j] = of_key->n;
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        Py_ssize_t n = PyUnicode_GET_LENGTH(key), start = 0;
        for (Py_ssize_t k = 0; k <= n; k++) {
            if (k < n && PyUnicode_READ(kind, data, k) != ' ') {
                continue;
            }
            if (k - start >= min_chars) {
                Py_ssize_t t = tokens_find(table, data, kind, start, k - start);
                if (t < 0) {
                    return -1;
                }
                Token *token = &table->tokens[t];
                if (token->posting.n == 0 || token->posting.items[token->posting.n - 1] != j) {
                    /* first time in this key: counted once; the posting is cleared below */
                    if (indexes_add(&token->posting, j) < 0 || indexes_add(of_key, t) < 0) {
                        return -1;
                    }
                    token->lines++;
                }
            }
            start = k + 1;
        }
    }
    starts[n_keys] = of_key->n;
    for (Py_ssize_t t = 0; t < table->n_tokens; t++) {
        table->tokens[t].posting.n = 0;
    }
    return 0;
}

static const Tokens *sorting_table;

static int by_rarity(const void *a, const void *b) {
    const Token *x = &sorting_table->tokens[*(const Py_ssize_t *)a], *y = &sorting_table->tokens[*(const Py_ssize_t *)b];
    if (x->lines != y->lines) {
        return x->lines < y->lines ? -1 : 1;
    }
    return token_compare(x, y);
}

/* Each key's candidates, after key_tokens: starts (n_keys + 1) into found. */
static int key_candidates(Py_ssize_t n_keys, Py_ssize_t n_rare, Py_ssize_t max_lines, Tokens *table,
                          Indexes *of_key, const Py_ssize_t *token_starts, Py_ssize_t *seen, Indexes *found,
                          Py_ssize_t *starts) {
    sorting_table = table;
    for (Py_ssize_t j = 0; j < n_keys; j++) {
        starts[j] = found->n;
        Py_ssize_t *ids = of_key->items + token_starts[j], n_ids = token_starts[j + 1] - token_starts[j], ones = 0;
        for (Py_ssize_t k = 0; k < n_ids; k++) {
            ones += table->tokens[ids[k]].lines == 1;
        }
        if (ones >= n_rare) {
            continue; /* its rarest tokens are on no other line: no candidate, and no one's */
        }
        qsort(ids, (size_t)n_ids, sizeof(Py_ssize_t), by_rarity);
        Py_ssize_t n_kept = n_ids < n_rare ? n_ids : n_rare;
        for (Py_ssize_t k = 0; k < n_kept; k++) {
            Token *token = &table->tokens[ids[k]];
            if (token->lines <= 1 || token->lines > max_lines) {
                continue;
            }
            for (Py_ssize_t p = 0; p < token->posting.n; p++) {
                Py_ssize_t other = token->posting.items[p];
                if (seen[other] != j + 1) {
                    seen[other] = j + 1;
                    if (indexes_add(found, other) < 0) {
                        return -1;
                    }
                }
            }
        }
        for (Py_ssize_t k = 0; k < n_kept; k++) {
            Token *token = &table->tokens[ids[k]];
            if (token->lines > 1 && token->lines <= max_lines && indexes_add(&token->posting, j) < 0) {
                return -1;
            }
        }
    }
    starts[n_keys] = found->n;
    return 0;
}

static PyObject *as_int_bytes(const Py_ssize_t *values, Py_ssize_t n) {
    PyObject *out = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int));
    if (out != NULL) {
        int *at = (int *)PyBytes_AS_STRING(out);
        for (Py_ssize_t k = 0; k < n; k++) {
            at[k] = (int)values[k];
        }
    }
    return out;
}

PyDoc_STRVAR(near_candidates_doc,
"near_candidates(keys, min_chars, n_rare, max_lines) -> (bytes, bytes)\n\n"
"The earlier keys each match key is compared with (dedupe._candidates): those\n"
"indexed under one of its n_rare rarest tokens (by how many keys hold them, then\n"
"in Python's order) held by more than one and at most max_lines keys, each once,\n"
"in order. As two int arrays: starts (len(keys) + 1) and the candidates, key j's\n"
"being candidates[starts[j]:starts[j + 1]].");

static PyObject *near_candidates(PyObject *self, PyObject *args) {
    PyObject *keys;
    Py_ssize_t min_chars, n_rare, max_lines;
    if (!PyArg_ParseTuple(args, "O!nnn", &PyList_Type, &keys, &min_chars, &n_rare, &max_lines)) {
        return NULL;
    }
    Py_ssize_t n_keys = PyList_GET_SIZE(keys);
    if (n_keys >= INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "near_candidates: too many keys");
        return NULL;
    }
    for (Py_ssize_t j = 0; j < n_keys; j++) {
        if (!PyUnicode_Check(PyList_GET_ITEM(keys, j))) {
            PyErr_SetString(PyExc_TypeError, "keys must be str");
            return NULL;
        }
    }
    Tokens table = {0};
    Indexes of_key = {0}, found = {0};
    PyObject *result = NULL;
    Py_ssize_t *token_starts = PyMem_Calloc((size_t)n_keys + 1, sizeof(Py_ssize_t));
    Py_ssize_t *seen = PyMem_Calloc((size_t)n_keys + 1, sizeof(Py_ssize_t));
    Py_ssize_t *starts = PyMem_Calloc((size_t)n_keys + 1, sizeof(Py_ssize_t));
    if (token_starts == NULL || seen == NULL || starts == NULL
        || key_tokens(keys, min_chars, &table, &of_key, token_starts) < 0
        || key_candidates(n_keys, n_rare, max_lines, &table, &of_key, token_starts, seen, &found, starts) < 0) {
        PyErr_NoMemory();
    } else {
        result = Py_BuildValue("(NN)", as_int_bytes(starts, n_keys + 1), as_int_bytes(found.items, found.n));
    }
    tokens_free(&table);
    PyMem_Free(of_key.items);
    PyMem_Free(found.items);
    PyMem_Free(token_starts);
    PyMem_Free(seen);
    PyMem_Free(starts);
    return result;
}

/* Whether key j may be a concatenation (dedupe._may_be_concatenations): at
 * least min_ratio of its word n-grams are made of words earlier keys hold.
 * Each word is looked up, then all are marked seen (Token.lines 1). */
static int may_concatenate(Tokens *table, PyObject *key, Py_ssize_t min_words, Py_ssize_t gram_words, double min_ratio,
                           int asked, Py_ssize_t *ids, int *result) {
    int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    Py_ssize_t n = PyUnicode_GET_LENGTH(key), start = 0, n_words = 0, run = 0, grams = 0;
    for (Py_ssize_t k = 0; k <= n; k++) {
        if (k < n && PyUnicode_READ(kind, data, k) != ' ') {
            continue;
        }
        if (k > start) {
            Py_ssize_t t = tokens_find(table, data, kind, start, k - start);
            if (t < 0) {
                return -1;
            }
            ids[n_words++] = t;
            run = table->tokens[t].lines ? run + 1 : 0;
            grams += run >= gram_words;
        }
        start = k + 1;
    }
    *result = asked && n_words >= min_words && (double)grams >= min_ratio * (double)(n_words - gram_words + 1);
    for (Py_ssize_t w = 0; w < n_words; w++) {
        table->tokens[ids[w]].lines = 1;
    }
    return 0;
}

PyDoc_STRVAR(concatenation_candidates_doc,
"concatenation_candidates(keys, asked, min_words, gram_words, min_ratio) -> list[int]\n\n"
"The indexes of the keys asked (asked[j] nonzero) of at least min_words words\n"
"at least min_ratio of whose\n"
"word gram_words-grams are made of words the keys before them hold: those\n"
"that may be concatenations of earlier keys (dedupe._may_be_concatenations).");

static PyObject *concatenation_candidates(PyObject *self, PyObject *args) {
    PyObject *keys;
    Py_buffer asked;
    Py_ssize_t min_words, gram_words;
    double min_ratio;
    if (!PyArg_ParseTuple(args, "O!y*nnd", &PyList_Type, &keys, &asked, &min_words, &gram_words, &min_ratio)) {
        return NULL;
    }
    Py_ssize_t n_keys = PyList_GET_SIZE(keys), longest = 0, last = -1;
    PyObject *found = NULL;
    Py_ssize_t *ids = NULL;
    Tokens table = {0};
    if (asked.len != n_keys) {
        PyErr_SetString(PyExc_ValueError, "concatenation_candidates: one asked byte a key");
        goto done;
    }
    for (Py_ssize_t j = 0; j < n_keys; j++) {
        PyObject *key = PyList_GET_ITEM(keys, j);
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "keys must be str");
            goto done;
        }
        longest = PyUnicode_GET_LENGTH(key) > longest ? PyUnicode_GET_LENGTH(key) : longest;
        last = ((const char *)asked.buf)[j] ? j : last;
    }
    ids = PyMem_Malloc((size_t)(longest / 2 + 1) * sizeof(Py_ssize_t));
    found = PyList_New(0);
    if (ids == NULL || found == NULL) {
        Py_CLEAR(found);
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t j = 0; j <= last; j++) {
        int may = 0;
        if (may_concatenate(&table, PyList_GET_ITEM(keys, j), min_words, gram_words, min_ratio,
                            ((const char *)asked.buf)[j], ids, &may) < 0) {
            Py_CLEAR(found);
            PyErr_NoMemory();
            goto done;
        }
        if (may && append_new(found, PyLong_FromSsize_t(j)) < 0) {
            Py_CLEAR(found);
            goto done;
        }
    }
done:
    tokens_free(&table);
    PyMem_Free(ids);
    PyBuffer_Release(&asked);
    return found;
}

/* ---- end of the near-duplicate candidates ---- */

/* ---- Which lines the kind hints and the comment patterns ask about (blocks, classify) ----
 *
 * For a line of ASCII, whether each pattern could match it, told by what the
 * pattern needs (the Python code gives the answer for every line marked, and
 * every line past ASCII is marked): a line left unmarked gets no hint. */

/* The ASCII str items of a tuple, as (bytes, length) pairs in words. */
typedef struct {
    const char *text[64];
    Py_ssize_t length[64];
    Py_ssize_t n;
} Words;

static int words_of_tuple(PyObject *tuple, Words *words) {
    if (!PyTuple_Check(tuple) || PyTuple_GET_SIZE(tuple) > 64) {
        PyErr_SetString(PyExc_TypeError, "a tuple of at most 64 str expected");
        return -1;
    }
    words->n = PyTuple_GET_SIZE(tuple);
    for (Py_ssize_t k = 0; k < words->n; k++) {
        PyObject *item = PyTuple_GET_ITEM(tuple, k);
        if (!PyUnicode_Check(item) || !PyUnicode_IS_ASCII(item)) {
            PyErr_SetString(PyExc_TypeError, "the words must be str of ASCII");
            return -1;
        }
        words->text[k] = (const char *)PyUnicode_DATA(item);
        words->length[k] = PyUnicode_GET_LENGTH(item);
    }
    return 0;
}

static int opens_with(const unsigned char *s, Py_ssize_t n, const Words *words, int case_blind) {
    for (Py_ssize_t k = 0; k < words->n; k++) {
        Py_ssize_t m = words->length[k], i = 0;
        while (i < m && i < n && (case_blind ? lower(s[i]) : s[i]) == (unsigned char)words->text[k][i]) {
            i++;
        }
        if (i == m) {
            return 1;
        }
    }
    return 0;
}

static int ends_with(const unsigned char *s, Py_ssize_t n, const Words *words) {
    for (Py_ssize_t k = 0; k < words->n; k++) {
        Py_ssize_t m = words->length[k];
        if (m <= n && memcmp(s + n - m, words->text[k], (size_t)m) == 0) {
            return 1;
        }
    }
    return 0;
}

static int holds_any(const unsigned char *s, Py_ssize_t n, const Words *words) {
    for (Py_ssize_t k = 0; k < words->n; k++) {
        if (contains(s, n, words->text[k])) {
            return 1;
        }
    }
    return 0;
}

static Py_ssize_t count_char(const unsigned char *s, Py_ssize_t n, unsigned char c) {
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        count += s[i] == c;
    }
    return count;
}

static int holds_char(const unsigned char *s, Py_ssize_t n, unsigned char c) {
    return n > 0 && memchr(s, c, (size_t)n) != NULL;
}

/* str.isspace of an ASCII character */
static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

typedef struct {
    Py_ssize_t max_chars, tail_chars, max_words;
    Words openings, byline_openings, endings, labels, marks;
    const char *phrase;
} HintNeeds;

/* blocks._kind_hint could give s[0:n] (ASCII) a kind other than TEXT. */
static int may_get_hint(const unsigned char *s, Py_ssize_t n, const void *of) {
    const HintNeeds *needs = of;
    if (n > needs->max_chars) {
        return 0;
    }
    if (opens_with(s, n, &needs->openings, 1) || holds_char(s, n, '/')
        || contains_lower(s, n, needs->phrase)) {
        return 1; /* a caption's opening, a call to action, a copyright notice; an agency credit */
    }
    const unsigned char *tail = n > needs->tail_chars ? s + n - needs->tail_chars : s;
    Py_ssize_t tail_n = s + n - tail, stripped = tail_n;
    while (stripped > 0 && is_space(tail[stripped - 1])) {
        stripped--;
    }
    if (ends_with(tail, stripped, &needs->endings)
        || (holds_char(tail, tail_n, ':') && holds_any(tail, tail_n, &needs->labels))) {
        return 1; /* text.py's _may_end_in_credit */
    }
    if (count_char(s, n, ' ') + 1 > needs->max_words) {
        return 0;
    }
    /* a date line (a year), a byline */
    return holds_any(s, n, &needs->marks) || opens_with(s, n, &needs->byline_openings, 0) || holds_char(s, n, '@');
}

PyDoc_STRVAR(hint_candidates_doc,
"hint_candidates(texts, max_chars, tail_chars, max_words, openings, byline_openings, endings, labels, marks,\n"
"                phrase) -> bytes\n\n"
"1 for each text blocks._kind_hint may give a kind, 0 for those it cannot: of\n"
"ASCII, at most max_chars long, and none of: opening (lowered) with one of\n"
"openings, a '/', phrase (lowered); its last tail_chars, stripped, ending with\n"
"one of endings, or holding a ':' and one of labels; at most max_words words\n"
"and one of marks, an '@', or one of byline_openings first. Every text past\n"
"ASCII gets 1.");

/* A byte for each text of texts (a list of str): test's for a text of ASCII, past_ascii for any other. */
static PyObject *flags_of(PyObject *texts, int (*test)(const unsigned char *, Py_ssize_t, const void *),
                          const void *needs, char past_ascii) {
    Py_ssize_t n_texts = PyList_GET_SIZE(texts);
    PyObject *out = PyBytes_FromStringAndSize(NULL, n_texts);
    if (out == NULL) {
        return NULL;
    }
    char *flags = PyBytes_AS_STRING(out);
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        PyObject *text = PyList_GET_ITEM(texts, t);
        if (!PyUnicode_Check(text)) {
            Py_DECREF(out);
            PyErr_SetString(PyExc_TypeError, "texts must be str");
            return NULL;
        }
        flags[t] = PyUnicode_IS_ASCII(text) ? (char)test(PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), needs)
                                            : past_ascii;
    }
    return out;
}

static PyObject *hint_candidates(PyObject *self, PyObject *args) {
    PyObject *texts, *openings, *byline_openings, *endings, *labels, *marks;
    HintNeeds needs;
    if (!PyArg_ParseTuple(args, "O!nnnOOOOOs", &PyList_Type, &texts, &needs.max_chars, &needs.tail_chars,
                          &needs.max_words, &openings, &byline_openings, &endings, &labels, &marks, &needs.phrase)
        || words_of_tuple(openings, &needs.openings) < 0 || words_of_tuple(byline_openings, &needs.byline_openings) < 0
        || words_of_tuple(endings, &needs.endings) < 0 || words_of_tuple(labels, &needs.labels) < 0
        || words_of_tuple(marks, &needs.marks) < 0) {
        return NULL;
    }
    return flags_of(texts, may_get_hint, &needs, 1);
}

PyDoc_STRVAR(comment_candidates_doc,
"comment_candidates(texts, stamp_max_spaces, word_max_chars, word_first_letters, heading_max_chars,\n"
"                   heading_first_letters) -> bytes\n\n"
"For each text, bit 1 when classify._is_comment_stamp's pattern may be asked\n"
"(fewer than stamp_max_spaces spaces, and a ':', 'ago' in any case, or at most\n"
"word_max_chars characters opening with one of word_first_letters); bit 2 when\n"
"the comments heading's may (at most heading_max_chars characters, opening with\n"
"a digit or one of heading_first_letters in either case). Every text past\n"
"ASCII gets both.");

typedef struct {
    Py_ssize_t max_spaces, word_max_chars, heading_max_chars;
    const char *word_first, *heading_first;
} CommentNeeds;

static int comment_test(const unsigned char *s, Py_ssize_t n, const void *of) {
    const CommentNeeds *needs = of;
    /* "" is in every str, as text[:1] of an empty text is */
    int first_word = n == 0 || strchr(needs->word_first, s[0]) != NULL;
    int stamp = count_char(s, n, ' ') < needs->max_spaces
                && (holds_char(s, n, ':') || (n <= needs->word_max_chars && first_word) || contains_lower(s, n, "ago")
                    || (n > 0 && s[n - 1] == ','));
    int heading = n <= needs->heading_max_chars && n > 0
                  && ((s[0] >= '0' && s[0] <= '9') || (s[0] < 128 && ispunct(s[0]))
                      || strchr(needs->heading_first, lower(s[0])) != NULL);
    return stamp | (heading << 1);
}

static PyObject *comment_candidates(PyObject *self, PyObject *args) {
    PyObject *texts;
    CommentNeeds needs;
    if (!PyArg_ParseTuple(args, "O!nnsns", &PyList_Type, &texts, &needs.max_spaces, &needs.word_max_chars,
                          &needs.word_first, &needs.heading_max_chars, &needs.heading_first)) {
        return NULL;
    }
    return flags_of(texts, comment_test, &needs, 3);
}

/* ---- end of the kind hints' and comments' candidates ---- */

/* ---- A text dump's lines into blocks (blocks._split_lines) ---- */

typedef struct {
    PyObject *text;
    int kind;
    const void *data;
    PyObject *continuation, *clause_end; /* str: the characters of CONTINUATION_PUNCTUATION, CLAUSE_END */
    PyObject *open_words;                /* frozenset: OPEN_END_WORDS */
    PyObject *open_characters;           /* str: the characters of OPEN_END_CHARACTERS */
    PyObject *inside;                    /* str: the characters of INSIDE_SENTENCE_PUNCTUATION */
    Py_ssize_t open_max;                 /* their longest's length */
    Py_UCS4 *room;                       /* a line's characters, when its spaces are made one */
    Py_ssize_t room_size;
} Lines;

static int is_one_of(PyObject *characters, Py_UCS4 c) {
    int kind = PyUnicode_KIND(characters);
    const void *data = PyUnicode_DATA(characters);
    for (Py_ssize_t k = 0; k < PyUnicode_GET_LENGTH(characters); k++) {
        if (PyUnicode_READ(kind, data, k) == c) {
            return 1;
        }
    }
    return 0;
}

/* text[start:end] stripped (str.strip), its runs of spaces made one where it
 * holds two spaces together (RUNS_OF_SPACES); *empty when nothing is left. */
static PyObject *stripped_line(Lines *lines, Py_ssize_t start, Py_ssize_t end) {
    if (make_room((void **)&lines->room, end - start, &lines->room_size, sizeof(Py_UCS4)) < 0) {
        return PyErr_NoMemory();
    }
    Py_UCS4 *room = lines->room;
    int kind = lines->kind;
    const void *data = lines->data;
    while (start < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start))) {
        start++;
    }
    while (end > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1))) {
        end--;
    }
    Py_ssize_t n = 0;
    for (Py_ssize_t k = start; k < end; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        if (c == ' ' && n > 0 && room[n - 1] == ' ') {
            continue;
        }
        room[n++] = c;
    }
    if (n == end - start) {
        return PyUnicode_Substring(lines->text, start, end);
    }
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, room, n);
}

/* Whether a stripped line reads as prose (blocks._reads_as_prose): at least
 * INDENTED_PROSE_MIN_WORDS words and none of CODE_CHARACTERS. */
static int reads_as_prose(PyObject *line) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(line), words = 1;
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        if (c == '{' || c == '}' || c == ';' || c == '=' || c == '<' || c == '>' || c == '\\') {
            return 0;
        }
        words += c == ' ';
    }
    return words >= 3;
}

/* Whether the piece of a line above stops mid-sentence (blocks._open_ended):
 * on one of OPEN_END_CHARACTERS (a comma, an opening bracket), or on a word
 * of OPEN_END_WORDS (lowered) after a space (a piece carried on opens with
 * one: its word follows the block's words); -1 on an error. */
static int open_ended(const Lines *lines, PyObject *previous) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(previous);
    if (n == 0) {
        return 0;
    }
    if (is_one_of(lines->open_characters, PyUnicode_READ_CHAR(previous, n - 1))) {
        return 1;
    }
    Py_ssize_t cut = PyUnicode_FindChar(previous, ' ', 0, n, -1);
    if (cut == -2) {
        return -1;
    }
    /* str.lower never makes a word shorter: a longer one is none of them */
    if (cut < 0 || n - cut - 1 > lines->open_max) {
        return 0;
    }
    PyObject *word = PyUnicode_Substring(previous, cut + 1, n);
    PyObject *lowered = word ? PyObject_CallMethod(word, "lower", NULL) : NULL;
    Py_XDECREF(word);
    if (lowered == NULL) {
        return -1;
    }
    int found = PySet_Contains(lines->open_words, lowered);
    Py_DECREF(lowered);
    return found;
}

/* Whether a raw line (from raw to raw_end) opens with CODE_INDENT: a tab or 4 spaces. */
static int indented(const Lines *lines, Py_ssize_t raw, Py_ssize_t raw_end) {
    int kind = lines->kind;
    const void *data = lines->data;
    if (raw < raw_end && PyUnicode_READ(kind, data, raw) == '\t') {
        return 1;
    }
    if (raw_end - raw < 4) {
        return 0;
    }
    for (Py_ssize_t k = raw; k < raw + 4; k++) {
        if (PyUnicode_READ(kind, data, k) != ' ') {
            return 0;
        }
    }
    return 1;
}

/* Whether a line (stripped: line, first character first; raw line opening at
 * raw) carries on the sentence of the line above, whose last character is
 * last and whose last piece is previous (blocks._continues: an indented line
 * only if it reads as prose); -1 on an error. */
static int continues(const Lines *lines, Py_UCS4 last, PyObject *previous, Py_UCS4 first, PyObject *line,
                     Py_ssize_t raw, Py_ssize_t raw_end) {
    if (!(Py_UNICODE_ISLOWER(first) || is_one_of(lines->continuation, first))) {
        int open = open_ended(lines, previous);
        if (open <= 0) {
            return open;
        }
    }
    if (indented(lines, raw, raw_end) && !reads_as_prose(line)) {
        return 0;
    }
    return is_one_of(lines->continuation, first) || !is_one_of(lines->clause_end, last);
}

/* Whether a capitalised line (first character first, raw line from raw to
 * raw_end) lies inside the sentence the line above leaves open (its last
 * character last; blocks._inside_sentence): the line after it (past
 * raw_end's line break; the text is length long) opens with
 * INSIDE_SENTENCE_PUNCTUATION (a full stop not before another or a letter or
 * digit) or with a comma and a lower-case word. */
static int inside_sentence(const Lines *lines, Py_UCS4 last, Py_UCS4 first, Py_ssize_t raw, Py_ssize_t raw_end,
                           Py_ssize_t length) {
    Py_ssize_t next = raw_end + 1;
    if (!Py_UNICODE_ISUPPER(first) || is_one_of(lines->clause_end, last) || indented(lines, raw, raw_end)
        || next > length) {
        return 0;
    }
    int kind = lines->kind;
    const void *data = lines->data;
    Py_UCS4 c = 0;
    while (next < length && (c = PyUnicode_READ(kind, data, next)) != '\n' && Py_UNICODE_ISSPACE(c)) {
        next++;
    }
    if (next == length || c == '\n') {
        return 0; /* a blank line (or none) after it */
    }
    Py_UCS4 after = next + 1 < length ? PyUnicode_READ(kind, data, next + 1) : 0;
    if (c == ',') { /* the first character past the comma and its spaces */
        Py_ssize_t k = next + 1;
        while (k < length && (after = PyUnicode_READ(kind, data, k)) != '\n' && Py_UNICODE_ISSPACE(after)) {
            k++;
        }
        return k < length && Py_UNICODE_ISLOWER(after);
    }
    return is_one_of(lines->inside, c) && !(c == '.' && (after == '.' || Py_UNICODE_ISALNUM(after)));
}

typedef struct {
    PyObject *texts, *pieces; /* the blocks' texts; the last block's lines */
    Indexes numbers, flags;   /* line numbers; blank before (1) and after (2) */
} Split;

/* The last block's text made whole: its pieces joined, when it has more than one. */
static int close_block(Split *split) {
    Py_ssize_t n = PyList_GET_SIZE(split->pieces);
    if (n > 1) {
        PyObject *empty = PyUnicode_New(0, 0);
        PyObject *joined = empty ? PyUnicode_Join(empty, split->pieces) : NULL;
        Py_XDECREF(empty);
        if (joined == NULL) {
            return -1;
        }
        Py_ssize_t last = PyList_GET_SIZE(split->texts) - 1;
        PyList_SetItem(split->texts, last, joined); /* steals joined */
    }
    return n > 0 ? PyList_SetSlice(split->pieces, 0, n, NULL) : 0;
}

static int split_text(Lines *lines, Split *split) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(lines->text), start = 0, number = 0;
    int previous_blank = 1;
    Py_UCS4 last = 0;
    while (start <= length) {
        Py_ssize_t end = PyUnicode_FindChar(lines->text, '\n', start, length, 1);
        if (end == -2) {
            return -1;
        }
        end = end < 0 ? length : end;
        number++;
        PyObject *line = stripped_line(lines, start, end);
        if (line == NULL) {
            return -1;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(line), blocks = PyList_GET_SIZE(split->texts);
        if (n == 0) {
            Py_DECREF(line);
            previous_blank = 1; /* the block above keeps blank after */
            start = end + 1;
            continue;
        }
        Py_UCS4 first = PyUnicode_READ_CHAR(line, 0);
        if (blocks && !previous_blank) {
            PyObject *previous = PyList_GET_ITEM(split->pieces, PyList_GET_SIZE(split->pieces) - 1);
            int carries = continues(lines, last, previous, first, line, start, end);
            if (carries < 0) {
                Py_DECREF(line);
                return -1;
            }
            carries = carries || inside_sentence(lines, last, first, start, end, length);
            if (carries) {
                last = PyUnicode_READ_CHAR(line, n - 1);
                PyObject *piece = is_one_of(lines->continuation, first) ? line : PyUnicode_FromFormat(" %U", line);
                int failed = piece == NULL || PyList_Append(split->pieces, piece) < 0;
                if (piece != line) {
                    Py_XDECREF(piece);
                }
                Py_DECREF(line);
                if (failed) {
                    return -1;
                }
                start = end + 1;
                continue;
            }
            split->flags.items[blocks - 1] &= ~2; /* no blank line between it and this one */
        }
        if (close_block(split) < 0 || PyList_Append(split->texts, line) < 0 || PyList_Append(split->pieces, line) < 0
            || indexes_add(&split->numbers, number) < 0 || indexes_add(&split->flags, (previous_blank ? 1 : 0) | 2) < 0) {
            Py_DECREF(line);
            return -1;
        }
        last = PyUnicode_READ_CHAR(line, n - 1);
        Py_DECREF(line);
        previous_blank = 0;
        start = end + 1;
    }
    return close_block(split);
}

PyDoc_STRVAR(split_lines_doc,
"split_lines(text, continuation, clause_end, open_words, open_max, open_characters, inside)\n"
"-> (list[str], bytes, bytes)\n\n"
"A text dump's blocks as blocks._split_lines makes them: each non-blank line\n"
"stripped (runs of spaces made one), a line carrying on the sentence above it\n"
"joined to it. Their texts; their line numbers (int32, from 1); and a byte each:\n"
"1 for a blank line before, 2 for one after. continuation: the characters of\n"
"CONTINUATION_PUNCTUATION; clause_end: those of CLAUSE_END; open_words:\n"
"OPEN_END_WORDS (a frozenset), open_max: the length of the longest;\n"
"open_characters: those of OPEN_END_CHARACTERS; inside: those of\n"
"INSIDE_SENTENCE_PUNCTUATION.");

static PyObject *as_bytes_of(const Indexes *values, int width) {
    PyObject *out = PyBytes_FromStringAndSize(NULL, values->n * width);
    if (out == NULL) {
        return NULL;
    }
    for (Py_ssize_t k = 0; k < values->n; k++) {
        if (width == 4) {
            ((int *)PyBytes_AS_STRING(out))[k] = (int)values->items[k];
        } else {
            PyBytes_AS_STRING(out)[k] = (char)values->items[k];
        }
    }
    return out;
}

static PyObject *split_lines(PyObject *self, PyObject *args) {
    Lines lines;
    if (!PyArg_ParseTuple(args, "UUUO!nUU", &lines.text, &lines.continuation, &lines.clause_end, &PyFrozenSet_Type,
                          &lines.open_words, &lines.open_max, &lines.open_characters, &lines.inside)) {
        return NULL;
    }
    lines.kind = PyUnicode_KIND(lines.text);
    lines.data = PyUnicode_DATA(lines.text);
    lines.room = NULL;
    lines.room_size = 0;
    Split split = {PyList_New(0), PyList_New(0), {0}, {0}};
    PyObject *result = NULL;
    if (split.texts != NULL && split.pieces != NULL && split_text(&lines, &split) == 0) {
        result = Py_BuildValue("(ONN)", split.texts, as_bytes_of(&split.numbers, 4), as_bytes_of(&split.flags, 1));
    }
    PyMem_Free(lines.room);
    Py_XDECREF(split.texts);
    Py_XDECREF(split.pieces);
    PyMem_Free(split.numbers.items);
    PyMem_Free(split.flags.items);
    return result;
}

/* ---- end of the lines into blocks ---- */

/* ---- Match keys of lines of ASCII (text.match_keys) ---- */

/* The key of a text whose first max_chars characters are ASCII, else None. */
static PyObject *ascii_key(PyObject *text, Py_ssize_t max_chars, char *room) {
    Py_ssize_t full = PyUnicode_GET_LENGTH(text), n = full < max_chars ? full : max_chars, k = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 0x80) {
            Py_RETURN_NONE;
        }
        if (is_alnum((unsigned char)c)) {
            room[k++] = (char)lower((unsigned char)c);
        } else if (k > 0 && room[k - 1] != ' ') {
            room[k++] = ' '; /* every other character is a space; runs are made one, none at the start */
        }
    }
    if (k > 0 && room[k - 1] == ' ') {
        k--;
    }
    if (full > max_chars) {
        k += sprintf(room + k, " %zd", full); /* a longer line's key also carries its length */
    }
    return PyUnicode_FromStringAndSize(room, k);
}

PyDoc_STRVAR(ascii_match_keys_doc,
"ascii_match_keys(texts, max_chars) -> list[str | None]\n\n"
"text.match_key of each text whose first max_chars characters are ASCII (its\n"
"letters and digits lowered, single spaces for the rest between them, and its\n"
"length after a space when it is longer); None for the others.");

static PyObject *ascii_match_keys(PyObject *self, PyObject *args) {
    PyObject *texts;
    Py_ssize_t max_chars;
    if (!PyArg_ParseTuple(args, "O!n", &PyList_Type, &texts, &max_chars)) {
        return NULL;
    }
    if (max_chars < 0) {
        PyErr_SetString(PyExc_ValueError, "max_chars must not be negative");
        return NULL;
    }
    Py_ssize_t n_texts = PyList_GET_SIZE(texts);
    char *room = PyMem_Malloc((size_t)max_chars + 32);
    PyObject *keys = PyList_New(n_texts);
    if (room == NULL || keys == NULL) {
        PyMem_Free(room);
        Py_XDECREF(keys);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        PyObject *text = PyList_GET_ITEM(texts, t);
        PyObject *key = PyUnicode_Check(text) ? ascii_key(text, max_chars, room) : NULL;
        if (key == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_TypeError, "texts must be str");
            }
            PyMem_Free(room);
            Py_DECREF(keys);
            return NULL;
        }
        PyList_SET_ITEM(keys, t, key);
    }
    PyMem_Free(room);
    return keys;
}

/* ---- end of the match keys ---- */

/* ---- the page-edge model (segments/edges.py): P(head) and P(foot) of lines ---- */

/* EdgeModel.probabilities of many lines at once. The model's dict is made into
 * a table once (edge_table); a line's tokens are found there as the Python
 * code finds them (its words: runs of letters of its first max_chars
 * characters, lowered by str.lower; its length band; the four shapes of
 * EDGE_SHAPES, in that order; ~stop and ~repeat), each token's two weights
 * are taken once, and the two sums are made as math.fsum makes them (exactly,
 * rounded once): the same doubles as the Python code, to the last bit. */

#define EDGE_TABLE_NAME "cleaner._speedups.edge_table"
#define EDGE_SHAPE_COUNT 4 /* edges.EDGE_SHAPES: ~digit, ~copy, ~bar, ~at */
#define EDGE_HASH_START 0xcbf29ce484222325ULL
#define EDGE_HASH_STEP 0x100000001b3ULL
#define EDGE_MIN_Z (-500.0) /* edges._sigmoid: 0.0 at and below it */

typedef struct {
    Py_UCS4 *chars;
    Py_ssize_t length;
    uint64_t hash;
    double head, foot;
    uint64_t seen; /* the serial of the last line that took it */
} EdgeToken;

typedef struct {
    EdgeToken *tokens;
    Py_ssize_t n_tokens;
    Py_ssize_t *slots; /* open addressing: a token's index + 1, or 0 */
    size_t mask;
    double intercepts[2];
    Py_ssize_t max_chars;
    Py_ssize_t n_bands;
    Py_ssize_t *bands;       /* EDGE_LENGTH_BANDS */
    Py_ssize_t *band_tokens; /* n_bands + 1 of them: the index of "~len<k>", or -1 */
    Py_ssize_t shapes[EDGE_SHAPE_COUNT], stop, repeat;
    PyObject *sentence_ends; /* a tuple of str */
    PyObject *fsum;          /* math.fsum, for sums that meet an infinity or a nan */
    PyObject *lower;         /* "lower", the name of the str method */
    uint64_t serial;
} EdgeTable;

/* What a character is to the model: a letter of a word ([^\W\d_] of a str
 * pattern: alphanumeric, str.isalnum, and not a decimal digit), a decimal digit
 * (\d), or a mark that a shape may start with or hold (a space, "(", "©", "@",
 * "h", "w", and the bars "|•·/»>"); for the first 256 code points, from a table. */
#define EDGE_LETTER 1
#define EDGE_DIGIT 2
#define EDGE_MARK 4

static unsigned char edge_classes[256];

static int edge_class_of(Py_UCS4 c) {
    int found = 0;
    if (Py_UNICODE_ISDECIMAL(c)) {
        found |= EDGE_DIGIT;
    } else if (Py_UNICODE_ISALNUM(c)) {
        found |= EDGE_LETTER;
    }
    if (Py_UNICODE_ISSPACE(c) || c == '(' || c == 0xA9 || c == '@' || c == 'h' || c == 'w' || c == '|' ||
        c == 0x2022 || c == 0xB7 || c == '/' || c == 0xBB || c == '>') {
        found |= EDGE_MARK;
    }
    return found;
}

static void edge_classes_make(void) {
    for (Py_UCS4 c = 0; c < 256; c++) {
        edge_classes[c] = (unsigned char)edge_class_of(c);
    }
}

static inline int edge_class(Py_UCS4 c) { return c < 256 ? edge_classes[c] : edge_class_of(c); }

static inline uint64_t edge_hash_add(uint64_t hash, Py_UCS4 c) { return (hash ^ c) * EDGE_HASH_STEP; }

static Py_ssize_t edge_find(const EdgeTable *table, const Py_UCS4 *chars, Py_ssize_t length, uint64_t hash) {
    for (size_t slot = (size_t)hash & table->mask;; slot = (slot + 1) & table->mask) {
        Py_ssize_t at = table->slots[slot];
        if (at == 0) {
            return -1;
        }
        const EdgeToken *token = &table->tokens[at - 1];
        if (token->hash == hash && token->length == length &&
            memcmp(token->chars, chars, (size_t)length * sizeof(Py_UCS4)) == 0) {
            return at - 1;
        }
    }
}

/* The index of a token named by a str, or -1 where the model has no such token. */
static Py_ssize_t edge_find_name(const EdgeTable *table, PyObject *name) {
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "token names must be str");
        return -2;
    }
    Py_UCS4 *chars = PyUnicode_AsUCS4Copy(name);
    if (chars == NULL) {
        return -2;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(name);
    uint64_t hash = EDGE_HASH_START;
    for (Py_ssize_t k = 0; k < length; k++) {
        hash = edge_hash_add(hash, chars[k]);
    }
    Py_ssize_t found = edge_find(table, chars, length, hash);
    PyMem_Free(chars);
    return found;
}

static void edge_table_free(EdgeTable *table) {
    if (table == NULL) {
        return;
    }
    for (Py_ssize_t i = 0; i < table->n_tokens; i++) {
        PyMem_Free(table->tokens[i].chars);
    }
    PyMem_Free(table->tokens);
    PyMem_Free(table->slots);
    PyMem_Free(table->bands);
    PyMem_Free(table->band_tokens);
    Py_XDECREF(table->sentence_ends);
    Py_XDECREF(table->fsum);
    Py_XDECREF(table->lower);
    PyMem_Free(table);
}

static void edge_capsule_free(PyObject *capsule) {
    edge_table_free(PyCapsule_GetPointer(capsule, EDGE_TABLE_NAME));
}

/* The model's tokens (the str keys of weights; a value is (head, foot)) into the table. */
static int edge_add_tokens(EdgeTable *table, PyObject *weights) {
    Py_ssize_t size = PyDict_GET_SIZE(weights);
    size_t n_slots = 8;
    while (n_slots < (size_t)size * 2 + 1) {
        n_slots *= 2;
    }
    table->tokens = PyMem_Calloc((size_t)size + 1, sizeof(EdgeToken));
    table->slots = PyMem_Calloc(n_slots, sizeof(Py_ssize_t));
    if (table->tokens == NULL || table->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    table->mask = n_slots - 1;
    Py_ssize_t position = 0;
    PyObject *key, *value;
    while (PyDict_Next(weights, &position, &key, &value)) {
        if (!PyUnicode_Check(key)) {
            continue; /* a line's tokens are str: such a key is never found */
        }
        EdgeToken *token = &table->tokens[table->n_tokens];
        PyObject *head = PySequence_GetItem(value, 0), *foot = head == NULL ? NULL : PySequence_GetItem(value, 1);
        if (foot == NULL) {
            Py_XDECREF(head);
            return -1;
        }
        token->head = PyFloat_AsDouble(head);
        token->foot = PyFloat_AsDouble(foot);
        Py_DECREF(head);
        Py_DECREF(foot);
        if (PyErr_Occurred() || (token->chars = PyUnicode_AsUCS4Copy(key)) == NULL) {
            return -1;
        }
        token->length = PyUnicode_GET_LENGTH(key);
        token->hash = EDGE_HASH_START;
        for (Py_ssize_t k = 0; k < token->length; k++) {
            token->hash = edge_hash_add(token->hash, token->chars[k]);
        }
        size_t slot = (size_t)token->hash & table->mask;
        while (table->slots[slot] != 0) {
            slot = (slot + 1) & table->mask;
        }
        table->slots[slot] = ++table->n_tokens;
    }
    return 0;
}

/* The length bands, and the special tokens' indexes. */
static int edge_add_specials(EdgeTable *table, PyObject *bands, PyObject *length_tokens, PyObject *shape_tokens,
                             PyObject *stop_token, PyObject *repeat_token) {
    table->n_bands = PyTuple_GET_SIZE(bands);
    if (PyTuple_GET_SIZE(length_tokens) != table->n_bands + 1 || PyTuple_GET_SIZE(shape_tokens) != EDGE_SHAPE_COUNT) {
        PyErr_SetString(PyExc_ValueError, "one length token a band and one more, and four shapes");
        return -1;
    }
    table->bands = PyMem_Calloc((size_t)table->n_bands + 1, sizeof(Py_ssize_t));
    table->band_tokens = PyMem_Calloc((size_t)table->n_bands + 1, sizeof(Py_ssize_t));
    if (table->bands == NULL || table->band_tokens == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < table->n_bands; k++) {
        table->bands[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(bands, k));
        if (table->bands[k] == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (k > 0 && table->bands[k] < table->bands[k - 1]) {
            PyErr_SetString(PyExc_ValueError, "the length bands must be sorted");
            return -1;
        }
    }
    for (Py_ssize_t k = 0; k <= table->n_bands; k++) {
        if ((table->band_tokens[k] = edge_find_name(table, PyTuple_GET_ITEM(length_tokens, k))) == -2) {
            return -1;
        }
    }
    for (int k = 0; k < EDGE_SHAPE_COUNT; k++) {
        if ((table->shapes[k] = edge_find_name(table, PyTuple_GET_ITEM(shape_tokens, k))) == -2) {
            return -1;
        }
    }
    if ((table->stop = edge_find_name(table, stop_token)) == -2 ||
        (table->repeat = edge_find_name(table, repeat_token)) == -2) {
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(edge_table_doc,
"edge_table(weights, intercepts, max_chars, bands, length_tokens, shape_tokens,\n"
"           stop_token, repeat_token, sentence_ends, fsum) -> capsule\n\n"
"The page-edge model (edges.EdgeModel) for edge_probabilities: weights maps a\n"
"token to its (head, foot) weights; intercepts is (head, foot); max_chars is\n"
"EDGE_MAX_CHARS; bands EDGE_LENGTH_BANDS (a tuple of int) and length_tokens the\n"
"token of each band (a tuple, one more than bands); shape_tokens the names of\n"
"EDGE_SHAPES (~digit, ~copy, ~bar, ~at, in that order); sentence_ends a tuple of\n"
"str; fsum is math.fsum. The weights are copied: a later change to the dict is\n"
"not seen.");

static PyObject *edge_table(PyObject *self, PyObject *args) {
    PyObject *weights, *intercepts, *bands, *length_tokens, *shape_tokens, *stop_token, *repeat_token;
    PyObject *sentence_ends, *fsum;
    Py_ssize_t max_chars;
    if (!PyArg_ParseTuple(args, "O!O!nO!O!O!UUO!O", &PyDict_Type, &weights, &PyTuple_Type, &intercepts, &max_chars,
                          &PyTuple_Type, &bands, &PyTuple_Type, &length_tokens, &PyTuple_Type, &shape_tokens,
                          &stop_token, &repeat_token, &PyTuple_Type, &sentence_ends, &fsum)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(intercepts) != 2 || max_chars < 0) {
        PyErr_SetString(PyExc_ValueError, "two intercepts, and max_chars not negative");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(sentence_ends); k++) {
        if (!PyUnicode_Check(PyTuple_GET_ITEM(sentence_ends, k))) {
            PyErr_SetString(PyExc_TypeError, "sentence_ends must be a tuple of str");
            return NULL;
        }
    }
    EdgeTable *table = PyMem_Calloc(1, sizeof(EdgeTable));
    if (table == NULL) {
        return PyErr_NoMemory();
    }
    Py_INCREF(sentence_ends);
    Py_INCREF(fsum);
    table->sentence_ends = sentence_ends;
    table->fsum = fsum;
    table->max_chars = max_chars;
    table->lower = PyUnicode_InternFromString("lower");
    edge_classes_make();
    table->intercepts[0] = PyFloat_AsDouble(PyTuple_GET_ITEM(intercepts, 0));
    table->intercepts[1] = PyFloat_AsDouble(PyTuple_GET_ITEM(intercepts, 1));
    if (table->lower == NULL || PyErr_Occurred() || edge_add_tokens(table, weights) < 0 ||
        edge_add_specials(table, bands, length_tokens, shape_tokens, stop_token, repeat_token) < 0) {
        edge_table_free(table);
        return NULL;
    }
    PyObject *capsule = PyCapsule_New(table, EDGE_TABLE_NAME, edge_capsule_free);
    if (capsule == NULL) {
        edge_table_free(table);
    }
    return capsule;
}

/* math.fsum of values[0:n] as CPython's math_fsum makes it (Shewchuk's
 * partials, then the top partials added until the sum is inexact, and the
 * half-even correction across partials): 0 and the sum in *out; -1 where a
 * partial is not finite (an infinity or a nan among the values, or an
 * overflow), for math.fsum itself to answer. partials has room for n. */
static int edge_fsum(const double *values, Py_ssize_t n_values, double *partials, double *out) {
    Py_ssize_t n = 0;
    double x, y, t, hi, yr, lo = 0.0;
    for (Py_ssize_t k = 0; k < n_values; k++) {
        Py_ssize_t i = 0;
        x = values[k];
        for (Py_ssize_t j = 0; j < n; j++) {
            y = partials[j];
            if (fabs(x) < fabs(y)) {
                t = x;
                x = y;
                y = t;
            }
            hi = x + y;
            yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                partials[i++] = lo;
            }
            x = hi;
        }
        n = i;
        if (x != 0.0) {
            if (!isfinite(x)) {
                return -1;
            }
            partials[n++] = x;
        }
    }
    hi = 0.0;
    lo = 0.0;
    if (n > 0) {
        hi = partials[--n];
        while (n > 0) {
            x = hi;
            y = partials[--n];
            hi = x + y;
            yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
            y = lo * 2.0;
            x = hi + y;
            yr = x - hi;
            if (y == yr) {
                hi = x;
            }
        }
    }
    *out = hi;
    return 0;
}

/* The sum of values by math.fsum itself (a value not finite, or an overflow). */
static int edge_python_fsum(PyObject *fsum, const double *values, Py_ssize_t n, double *out) {
    PyObject *list = PyList_New(n);
    if (list == NULL) {
        return -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *value = PyFloat_FromDouble(values[k]);
        if (value == NULL) {
            Py_DECREF(list);
            return -1;
        }
        PyList_SET_ITEM(list, k, value);
    }
    PyObject *sum = PyObject_CallOneArg(fsum, list);
    Py_DECREF(list);
    if (sum == NULL) {
        return -1;
    }
    *out = PyFloat_AsDouble(sum);
    Py_DECREF(sum);
    return PyErr_Occurred() ? -1 : 0;
}

/* Room for one line's work, grown as lines need. */
typedef struct {
    Py_UCS4 *word;
    Py_ssize_t *found;
    double *values, *partials;
    Py_ssize_t size;
} EdgeRoom;

static int edge_room_for(EdgeRoom *room, Py_ssize_t size) {
    if (size <= room->size) {
        return 0;
    }
    PyMem_Free(room->word);
    PyMem_Free(room->found);
    PyMem_Free(room->values);
    PyMem_Free(room->partials);
    room->word = PyMem_Malloc((size_t)size * sizeof(Py_UCS4));
    room->found = PyMem_Malloc((size_t)size * sizeof(Py_ssize_t));
    room->values = PyMem_Malloc((size_t)size * sizeof(double));
    room->partials = PyMem_Malloc((size_t)size * sizeof(double));
    room->size = size;
    if (room->word == NULL || room->found == NULL || room->values == NULL || room->partials == NULL) {
        room->size = 0;
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void edge_room_free(EdgeRoom *room) {
    PyMem_Free(room->word);
    PyMem_Free(room->found);
    PyMem_Free(room->values);
    PyMem_Free(room->partials);
}

/* A token the line has, taken once (tokens is a set in the Python code). */
static inline void edge_take(EdgeTable *table, Py_ssize_t index, EdgeRoom *room, Py_ssize_t *n_found) {
    if (index >= 0 && table->tokens[index].seen != table->serial) {
        table->tokens[index].seen = table->serial;
        room->found[(*n_found)++] = index;
    }
}


/* The words of a line's lowered head (EDGE_WORD.findall), each looked up:
 * data is the head lowered by str.lower, or an ASCII head, lowered here. */
static void edge_words(EdgeTable *table, int kind, const void *data, Py_ssize_t n, EdgeRoom *room,
                       Py_ssize_t *n_found) {
    Py_ssize_t length = 0;
    uint64_t hash = EDGE_HASH_START;
    for (Py_ssize_t i = 0; i <= n; i++) {
        Py_UCS4 c = i < n ? PyUnicode_READ(kind, data, i) : 0;
        if (i < n && (edge_class(c) & EDGE_LETTER)) {
            c = (c >= 'A' && c <= 'Z') ? c + 32 : c; /* str.lower; a lowered text has no A-Z left */
            room->word[length++] = c;
            hash = edge_hash_add(hash, c);
        } else if (length > 0) {
            edge_take(table, edge_find(table, room->word, length, hash), room, n_found);
            length = 0;
            hash = EDGE_HASH_START;
        }
    }
}

static inline int edge_bar_char(Py_UCS4 c, int slash) {
    return c == '|' || c == 0x2022 || c == 0xB7 || c == 0xBB || c == '>' || (slash && c == '/');
}

static inline int edge_at(int kind, const void *data, Py_ssize_t n, Py_ssize_t i, const char *word) {
    for (Py_ssize_t k = 0; word[k] != '\0'; k++) {
        if (i + k >= n || PyUnicode_READ(kind, data, i + k) != (Py_UCS4)(unsigned char)word[k]) {
            return 0;
        }
    }
    return 1;
}

/* Which of the EDGE_SHAPES the first n characters have: ~digit (\d), ~copy
 * (©|\(c\), any case), ~bar (\s[|•·/»>]\s|^[|•·»>]), ~at (@|https?:|www\.). */
static void edge_shapes(int kind, const void *data, Py_ssize_t n, int shapes[EDGE_SHAPE_COUNT]) {
    memset(shapes, 0, EDGE_SHAPE_COUNT * sizeof(int));
    if (n > 0 && edge_bar_char(PyUnicode_READ(kind, data, 0), 0)) {
        shapes[2] = 1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        int found = edge_class(c);
        if (!(found & (EDGE_DIGIT | EDGE_MARK))) {
            continue;
        }
        if (found & EDGE_DIGIT) {
            shapes[0] = 1;
        } else if (c == 0xA9 || (c == '(' && i + 2 < n && (PyUnicode_READ(kind, data, i + 1) | 0x20) == 'c' &&
                                 PyUnicode_READ(kind, data, i + 2) == ')')) {
            shapes[1] = 1;
        } else if (c == '@' || (c == 'h' && (edge_at(kind, data, n, i, "http:") || edge_at(kind, data, n, i, "https:"))) ||
                   (c == 'w' && edge_at(kind, data, n, i, "www."))) {
            shapes[3] = 1;
        } else if (i + 2 < n && Py_UNICODE_ISSPACE(c) && edge_bar_char(PyUnicode_READ(kind, data, i + 1), 1) &&
                   Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i + 2))) {
            shapes[2] = 1;
        }
    }
}

/* str.endswith(sentence_ends). */
static int edge_ends_sentence(const EdgeTable *table, PyObject *text, int kind, const void *data, Py_ssize_t n) {
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(table->sentence_ends); k++) {
        PyObject *end = PyTuple_GET_ITEM(table->sentence_ends, k);
        Py_ssize_t length = PyUnicode_GET_LENGTH(end);
        if (length > n) {
            continue;
        }
        if (length > 0 && PyUnicode_READ_CHAR(end, length - 1) != PyUnicode_READ(kind, data, n - 1)) {
            continue;
        }
        Py_ssize_t found = PyUnicode_Tailmatch(text, end, 0, PY_SSIZE_T_MAX, 1);
        if (found != 0) {
            return (int)found;
        }
    }
    return 0;
}

static Py_ssize_t edge_spaces(int kind, const void *data, Py_ssize_t n) {
    Py_ssize_t count = 0;
    if (kind == PyUnicode_1BYTE_KIND) {
        const char *s = data, *end = s + n;
        while ((s = memchr(s, ' ', (size_t)(end - s))) != NULL) {
            count++;
            s++;
        }
        return count;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        count += PyUnicode_READ(kind, data, i) == ' ';
    }
    return count;
}

static double edge_sigmoid(double z) { return z > EDGE_MIN_Z ? 1.0 / (1.0 + exp(-z)) : 0.0; }

/* One side's probability: the intercept and the found tokens' weights, summed as math.fsum sums. */
static int edge_side(const EdgeTable *table, EdgeRoom *room, Py_ssize_t n_found, int foot, double *out) {
    room->values[0] = table->intercepts[foot];
    for (Py_ssize_t k = 0; k < n_found; k++) {
        const EdgeToken *token = &table->tokens[room->found[k]];
        room->values[k + 1] = foot ? token->foot : token->head;
    }
    double z;
    if (edge_fsum(room->values, n_found + 1, room->partials, &z) < 0 &&
        edge_python_fsum(table->fsum, room->values, n_found + 1, &z) < 0) {
        return -1;
    }
    *out = edge_sigmoid(z);
    return 0;
}

/* P(head) and P(foot) of one line (EdgeModel.probabilities). */
static PyObject *edge_line(EdgeTable *table, PyObject *text, int repeat, EdgeRoom *room) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), n_head = n < table->max_chars ? n : table->max_chars;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    table->serial++;
    Py_ssize_t n_found = 0;
    if (PyUnicode_IS_ASCII(text)) {
        if (edge_room_for(room, n_head + 16) < 0) {
            return NULL;
        }
        edge_words(table, PyUnicode_1BYTE_KIND, data, n_head, room, &n_found); /* lowered as it reads */
    } else {
        PyObject *head = PyUnicode_Substring(text, 0, n_head);
        PyObject *lowered = head == NULL ? NULL : PyObject_CallMethodNoArgs(head, table->lower);
        Py_XDECREF(head);
        if (lowered == NULL) {
            return NULL;
        }
        if (!PyUnicode_Check(lowered) || edge_room_for(room, PyUnicode_GET_LENGTH(lowered) + 16) < 0) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_TypeError, "str.lower() gave something other than a str");
            }
            Py_DECREF(lowered);
            return NULL;
        }
        edge_words(table, PyUnicode_KIND(lowered), PyUnicode_DATA(lowered), PyUnicode_GET_LENGTH(lowered), room,
                   &n_found);
        Py_DECREF(lowered);
    }
    Py_ssize_t words = edge_spaces(kind, data, n) + 1, band = 0;
    while (band < table->n_bands && table->bands[band] < words) {
        band++;
    }
    edge_take(table, table->band_tokens[band], room, &n_found);
    int shapes[EDGE_SHAPE_COUNT];
    edge_shapes(kind, data, n_head, shapes);
    for (int k = 0; k < EDGE_SHAPE_COUNT; k++) {
        if (shapes[k]) {
            edge_take(table, table->shapes[k], room, &n_found);
        }
    }
    int stop = edge_ends_sentence(table, text, kind, data, n);
    if (stop < 0) {
        return NULL;
    }
    if (stop) {
        edge_take(table, table->stop, room, &n_found);
    }
    if (repeat) {
        edge_take(table, table->repeat, room, &n_found);
    }
    double head, foot;
    if (edge_side(table, room, n_found, 0, &head) < 0 || edge_side(table, room, n_found, 1, &foot) < 0) {
        return NULL;
    }
    PyObject *pair = PyTuple_New(2), *p_head = PyFloat_FromDouble(head), *p_foot = PyFloat_FromDouble(foot);
    if (pair == NULL || p_head == NULL || p_foot == NULL) {
        Py_XDECREF(pair);
        Py_XDECREF(p_head);
        Py_XDECREF(p_foot);
        return NULL;
    }
    PyTuple_SET_ITEM(pair, 0, p_head);
    PyTuple_SET_ITEM(pair, 1, p_foot);
    return pair;
}

PyDoc_STRVAR(edge_probabilities_doc,
"edge_probabilities(table, texts, repeats) -> list[tuple[float, float]]\n\n"
"EdgeModel.probabilities of each line, to the last bit: (P(head), P(foot)) of\n"
"texts[i], a repeat (its block's duplicate_of is set) where repeats[i] is true.\n"
"table is edge_table's.");

static PyObject *edge_probabilities(PyObject *self, PyObject *args) {
    PyObject *capsule, *texts, *repeats;
    if (!PyArg_ParseTuple(args, "OO!O!", &capsule, &PyList_Type, &texts, &PyList_Type, &repeats)) {
        return NULL;
    }
    EdgeTable *table = PyCapsule_GetPointer(capsule, EDGE_TABLE_NAME);
    if (table == NULL) {
        return NULL;
    }
    Py_ssize_t n_texts = PyList_GET_SIZE(texts);
    if (PyList_GET_SIZE(repeats) != n_texts) {
        PyErr_SetString(PyExc_ValueError, "one repeat flag a text");
        return NULL;
    }
    PyObject *result = PyList_New(n_texts);
    if (result == NULL) {
        return NULL;
    }
    EdgeRoom room = {NULL, NULL, NULL, NULL, 0};
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        PyObject *text = PyList_GET_ITEM(texts, t);
        int repeat = PyObject_IsTrue(PyList_GET_ITEM(repeats, t));
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "texts must be str");
        }
        PyObject *pair = repeat < 0 || PyErr_Occurred() ? NULL : edge_line(table, text, repeat, &room);
        if (pair == NULL) {
            edge_room_free(&room);
            Py_DECREF(result);
            return NULL;
        }
        PyList_SET_ITEM(result, t, pair);
    }
    edge_room_free(&room);
    return result;
}

/* ---- end of the page-edge model ---- */

/* ---- The seam model's candidates (seams._candidates) ----
 *
 * For each line i from start to stop (a chunk of find_seams), the nine
 * SEAM_FEATURES made as seams.seam_columns makes them and their weighted sum
 * z, in the same order of the same double operations: the prefix sums of a
 * column start at 0.0 at lo (the first line read, SIDE_LINES above start) and
 * add one line at a time (prefix_sums, as itertools.accumulate with
 * initial=0.0); a window's mean is one subtraction of two sums and one
 * division by the window's width; a maximum keeps the first of the largest
 * (Python's max: a later value replaces it only where greater); the last
 * feature is libm's log1p, which math.log1p calls; and z is w0*c0, then
 * + w1*c1 and so on in feature order (reduce over map(add)). No fused
 * multiply-add: the x86-64 default target has none to contract to. Only the
 * candidates are made into Python objects (a few in a thousand lines). */

static int duplicate_of_values(PyObject *const *blocks, Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t first_lines,
                               double *first, Py_ssize_t *opening) {
    /* first[k]: 1.0 where blocks[lo + k].duplicate_of is below first_lines;
     * opening[k]: that duplicate_of there, else -1 */
    PyObject *name = PyUnicode_InternFromString("duplicate_of");
    if (name == NULL) {
        return -1;
    }
    for (Py_ssize_t k = 0; k < hi - lo; k++) {
        PyObject *value = PyObject_GetAttr(blocks[lo + k], name);
        if (value == NULL) {
            Py_DECREF(name);
            return -1;
        }
        first[k] = 0.0;
        opening[k] = -1;
        int overflow = 0;
        long long of = 0;
        if (PyLong_Check(value)) {
            of = PyLong_AsLongLongAndOverflow(value, &overflow);
        } else if (value != Py_None) {
            PyErr_SetString(PyExc_TypeError, "a block's duplicate_of must be an int or None");
        }
        if (PyErr_Occurred()) {
            Py_DECREF(value);
            Py_DECREF(name);
            return -1;
        }
        if (value != Py_None) {
            /* an int past long long's range is past first_lines (overflow > 0) or below it */
            if (overflow < 0 || (overflow == 0 && of < (long long)first_lines)) {
                first[k] = 1.0;
            }
            if (overflow == 0 && of >= 0 && of < (long long)first_lines) {
                opening[k] = (Py_ssize_t)of;
            }
        }
        Py_DECREF(value);
    }
    Py_DECREF(name);
    return 0;
}

typedef struct {
    Py_ssize_t edge_lines, side_lines, first_lines, opening_lines, replay_lines;
} SeamConstants;

static void seam_features(const double *heads, const double *feet, Py_ssize_t n, Py_ssize_t i, Py_ssize_t lo,
                         Py_ssize_t hi, const SeamConstants *c, const double *const *sums,
                         const Py_ssize_t *opening, int reopens, double *row) {
    /* row: the nine SEAM_FEATURES of line i; sums: of feet, heads and first over lo .. hi;
     * reopens: whether line i names the site as the dump's first line does (seams.replay_openings) */
    Py_ssize_t j = i - lo, above = j - c->side_lines, below = j + c->side_lines;
    above = above < 0 ? 0 : above;
    below = below > hi - lo ? hi - lo : below;
    double foot_end = feet[i - 1], head_start = heads[i];
    for (Py_ssize_t k = 2; k <= c->edge_lines; k++) {
        if (feet[i - k] > foot_end) {
            foot_end = feet[i - k];
        }
    }
    for (Py_ssize_t k = 1; k < c->edge_lines; k++) {
        if (heads[i + k] > head_start) {
            head_start = heads[i + k];
        }
    }
    double width_above = (double)(j - above), width_below = (double)(below - j);
    const double *feet_sums = sums[0], *head_sums = sums[1], *first_sums = sums[2];
    double replayed = 0.0;
    if (opening[j] == 0 || reopens) {
        /* the dump's first line again (or a line naming the site as it does): how many of its next lines
         * follow it, in order */
        Py_ssize_t k = 1, last = 0;
        for (Py_ssize_t step = 1; step < c->replay_lines && i + step < n && k < c->opening_lines; step++) {
            if (opening[j + step] > last) { /* -1 (none, or not a first line) is never */
                last = opening[j + step];
                k++;
            }
        }
        replayed = (double)k / (double)c->opening_lines;
    }
    double side = (double)(i < n - i ? i : n - i);
    row[0] = foot_end;
    row[1] = (feet_sums[j] - feet_sums[above]) / width_above;
    row[2] = head_start;
    row[3] = (head_sums[below] - head_sums[j]) / width_below;
    row[4] = (head_sums[j] - head_sums[above]) / width_above;
    row[5] = (feet_sums[below] - feet_sums[j]) / width_below;
    row[6] = (first_sums[below] - first_sums[j]) / width_below;
    row[7] = replayed;
    row[8] = side == 0.0 ? side : log1p(side); /* as Python's math.log1p (_Py_log1p) */
}

static int double_buffer(PyObject *object, Py_buffer *view) {
    /* object's buffer, refused unless it is of doubles (an array('d')) */
    if (PyObject_GetBuffer(object, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        return -1;
    }
    if (view->itemsize != (Py_ssize_t)sizeof(double) || view->format == NULL || strcmp(view->format, "d") != 0) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_TypeError, "heads and feet must be arrays of doubles");
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(seam_candidates_doc,
"seam_candidates(blocks, heads, feet, start, stop, weights, intercept, min_logit,\n"
"                constants, opens=None) -> list[tuple[float, int]]\n\n"
"seams._candidates, to the last bit: (-z, i) for each line i from start to stop\n"
"(not included) whose seam logit z + intercept is at least min_logit, in line\n"
"order; z is the sum of weights[f] * feature f (seams.SEAM_FEATURES, made as\n"
"seam_columns makes them; as many as there are weights, up to nine).\n"
"blocks: the dump's blocks (their duplicate_of is read, an int or None);\n"
"heads, feet: a double array each, one a block (EdgeColumns); constants: the\n"
"ints (EDGE_LINES, SIDE_LINES, FIRST_LINES, OPENING_LINES, REPLAY_LINES);\n"
"opens: None, or bytes of one flag a line from start to stop, set where the\n"
"line names the site as the dump's first line does (seams.replay_openings).");

#define SEAM_FEATURE_COUNT 9

static PyObject *seam_candidates(PyObject *self, PyObject *args) {
    PyObject *blocks_arg, *weights_arg;
    Py_buffer heads_buffer, feet_buffer;
    Py_ssize_t start, stop;
    double intercept, min_logit;
    SeamConstants c;
    PyObject *heads_arg, *feet_arg, *opens_arg = Py_None;
    if (!PyArg_ParseTuple(args, "OOOnnOdd(nnnnn)|O", &blocks_arg, &heads_arg, &feet_arg, &start, &stop, &weights_arg,
                          &intercept, &min_logit, &c.edge_lines, &c.side_lines, &c.first_lines, &c.opening_lines,
                          &c.replay_lines, &opens_arg)) {
        return NULL;
    }
    if (opens_arg != Py_None && !PyBytes_Check(opens_arg)) {
        PyErr_SetString(PyExc_TypeError, "opens must be bytes or None");
        return NULL;
    }
    if (double_buffer(heads_arg, &heads_buffer) < 0) {
        return NULL;
    }
    if (double_buffer(feet_arg, &feet_buffer) < 0) {
        PyBuffer_Release(&heads_buffer);
        return NULL;
    }
    PyObject *result = NULL, *blocks = NULL, *weights_seq = NULL;
    double *work = NULL;
    Py_ssize_t *opening = NULL;
    double weights[SEAM_FEATURE_COUNT];
    blocks = PySequence_Fast(blocks_arg, "blocks must be a sequence");
    weights_seq = blocks == NULL ? NULL : PySequence_Fast(weights_arg, "weights must be a sequence");
    if (weights_seq == NULL) {
        goto done;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(blocks);
    Py_ssize_t n_weights = PySequence_Fast_GET_SIZE(weights_seq);
    n_weights = n_weights < SEAM_FEATURE_COUNT ? n_weights : SEAM_FEATURE_COUNT; /* zip(weights, columns) */
    for (Py_ssize_t f = 0; f < n_weights; f++) {
        weights[f] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(weights_seq, f));
        if (weights[f] == -1.0 && PyErr_Occurred()) {
            goto done;
        }
    }
    if (n_weights == 0) {
        PyErr_SetString(PyExc_ValueError, "no weights");
        goto done;
    }
    if (heads_buffer.len != n * (Py_ssize_t)sizeof(double) || feet_buffer.len != n * (Py_ssize_t)sizeof(double)) {
        PyErr_SetString(PyExc_ValueError, "heads and feet must hold one double a block");
        goto done;
    }
    if (c.edge_lines < 1 || c.side_lines < 1 || c.opening_lines < 1) {
        PyErr_SetString(PyExc_ValueError, "EDGE_LINES, SIDE_LINES and OPENING_LINES must be at least 1");
        goto done;
    }
    if (c.replay_lines < 1 || c.replay_lines > c.side_lines) { /* the lines it reads below are read already */
        PyErr_SetString(PyExc_ValueError, "REPLAY_LINES must be at least 1 and at most SIDE_LINES");
        goto done;
    }
    if (start < c.edge_lines || stop < start || stop > n - c.edge_lines + 1) {
        PyErr_SetString(PyExc_ValueError, "start and stop must leave EDGE_LINES lines above start and below stop");
        goto done;
    }
    if (opens_arg != Py_None && PyBytes_GET_SIZE(opens_arg) != stop - start) {
        PyErr_SetString(PyExc_ValueError, "opens must hold one flag a line from start to stop");
        goto done;
    }
    /* opens[i - start] for line i */
    const char *opens = opens_arg == Py_None ? NULL : PyBytes_AS_STRING(opens_arg);
    result = PyList_New(0);
    if (result == NULL || start == stop) {
        goto done;
    }
    const double *heads = heads_buffer.buf, *feet = feet_buffer.buf;
    Py_ssize_t lo = start - c.side_lines < 0 ? 0 : start - c.side_lines;
    Py_ssize_t hi = n - stop < c.side_lines ? n : stop + c.side_lines;
    Py_ssize_t m = hi - lo;
    /* first, then the prefix sums of feet, heads and first */
    work = PyMem_Malloc((size_t)(m + 3 * (m + 1)) * sizeof(double));
    opening = PyMem_Malloc((size_t)m * sizeof(Py_ssize_t));
    if (work == NULL || opening == NULL) {
        Py_CLEAR(result);
        PyErr_NoMemory();
        goto done;
    }
    double *first = work;
    double *sums[3] = {work + m, work + m + (m + 1), work + m + 2 * (m + 1)};
    if (duplicate_of_values(PySequence_Fast_ITEMS(blocks), lo, hi, c.first_lines, first, opening) < 0) {
        Py_CLEAR(result);
        goto done;
    }
    prefix_sums(feet + lo, m, sums[0]);
    prefix_sums(heads + lo, m, sums[1]);
    prefix_sums(first, m, sums[2]);
    double row[SEAM_FEATURE_COUNT];
    for (Py_ssize_t i = start; i < stop; i++) {
        int reopens = opens != NULL && opens[i - start] != 0;
        seam_features(heads, feet, n, i, lo, hi, &c, (const double *const *)sums, opening, reopens, row);
        double z = weights[0] * row[0];
        for (Py_ssize_t f = 1; f < n_weights; f++) {
            z = z + weights[f] * row[f];
        }
        if (!(z + intercept >= min_logit)) {
            continue;
        }
        if (append_new(result, Py_BuildValue("(dn)", -z, i)) < 0) {
            Py_CLEAR(result);
            goto done;
        }
    }
done:
    PyMem_Free(work);
    PyMem_Free(opening);
    Py_XDECREF(blocks);
    Py_XDECREF(weights_seq);
    PyBuffer_Release(&heads_buffer);
    PyBuffer_Release(&feet_buffer);
    return result;
}

/* ---- end of the seam model ---- */

/* ---- The regions a class or id value names (html_blocks.regions.named_landmarks) ----
 *
 * For a value of ASCII: lowered, then at each place the longest region word
 * that starts there adds its bits (as REGION_WORDS, searched again from the
 * next place after each word found, finds them); "ad" or "ads" as a word of
 * its own (AD_WORD: \bads?\b) adds ad_bits. Other values are left to Python. */

#define REGION_TABLE_NAME "cleaner._speedups.region_table"

typedef struct {
    Py_ssize_t n;
    char **words;
    Py_ssize_t *lengths;
    long *bits;
    long ad_bits;
    /* the words that start with byte c: order[starts[c]:starts[c + 1]], longest first */
    Py_ssize_t starts[257];
    Py_ssize_t *order;
} RegionTable;

static const RegionTable *sorting_regions;

static int by_first_then_longest(const void *a, const void *b) {
    Py_ssize_t x = *(const Py_ssize_t *)a, y = *(const Py_ssize_t *)b;
    unsigned char cx = (unsigned char)sorting_regions->words[x][0], cy = (unsigned char)sorting_regions->words[y][0];
    if (cx != cy) {
        return cx < cy ? -1 : 1;
    }
    if (sorting_regions->lengths[x] != sorting_regions->lengths[y]) {
        return sorting_regions->lengths[x] > sorting_regions->lengths[y] ? -1 : 1;
    }
    return (x > y) - (x < y);
}

/* order and starts, once the words are in. */
static void region_order(RegionTable *table) {
    for (Py_ssize_t k = 0; k < table->n; k++) {
        table->order[k] = k;
    }
    sorting_regions = table;
    qsort(table->order, (size_t)table->n, sizeof(Py_ssize_t), by_first_then_longest);
    Py_ssize_t k = 0;
    for (int c = 0; c < 256; c++) {
        table->starts[c] = k;
        while (k < table->n && (unsigned char)table->words[table->order[k]][0] == c) {
            k++;
        }
    }
    table->starts[256] = table->n;
}

static void region_table_free(RegionTable *table) {
    if (table == NULL) {
        return;
    }
    for (Py_ssize_t k = 0; k < table->n && table->words != NULL; k++) {
        PyMem_Free(table->words[k]);
    }
    PyMem_Free(table->words);
    PyMem_Free(table->lengths);
    PyMem_Free(table->bits);
    PyMem_Free(table->order);
    PyMem_Free(table);
}

static void region_capsule_free(PyObject *capsule) {
    region_table_free(PyCapsule_GetPointer(capsule, REGION_TABLE_NAME));
}

PyDoc_STRVAR(region_table_doc,
"region_table(words, bits, ad_bits) -> capsule\n\n"
"The region words for region_bits: words a tuple of str (ASCII, lower case,\n"
"not empty), bits a tuple of int, the bits of each; ad_bits those of \"ad\"\n"
"and \"ads\" as words of their own.");

static PyObject *region_table(PyObject *self, PyObject *args) {
    PyObject *words, *bits;
    long ad_bits;
    if (!PyArg_ParseTuple(args, "O!O!l", &PyTuple_Type, &words, &PyTuple_Type, &bits, &ad_bits)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(words);
    if (PyTuple_GET_SIZE(bits) != n) {
        PyErr_SetString(PyExc_ValueError, "region_table: one bits a word");
        return NULL;
    }
    RegionTable *table = PyMem_Calloc(1, sizeof(RegionTable));
    if (table == NULL) {
        return PyErr_NoMemory();
    }
    table->ad_bits = ad_bits;
    table->words = PyMem_Calloc((size_t)n + 1, sizeof(char *));
    table->lengths = PyMem_Calloc((size_t)n + 1, sizeof(Py_ssize_t));
    table->bits = PyMem_Calloc((size_t)n + 1, sizeof(long));
    table->order = PyMem_Calloc((size_t)n + 1, sizeof(Py_ssize_t));
    if (table->words == NULL || table->lengths == NULL || table->bits == NULL || table->order == NULL) {
        region_table_free(table);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *word = PyTuple_GET_ITEM(words, k);
        long value = PyLong_Check(PyTuple_GET_ITEM(bits, k)) ? PyLong_AsLong(PyTuple_GET_ITEM(bits, k)) : -1;
        if (!PyUnicode_Check(word) || !PyUnicode_IS_ASCII(word) || PyUnicode_GET_LENGTH(word) == 0 || value < 0) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_ValueError, "region_table: words of ASCII, not empty; bits not negative");
            }
            region_table_free(table);
            return NULL;
        }
        table->n = k + 1;
        table->lengths[k] = PyUnicode_GET_LENGTH(word);
        table->bits[k] = value;
        table->words[k] = PyMem_Malloc((size_t)table->lengths[k]);
        if (table->words[k] == NULL) {
            region_table_free(table);
            return PyErr_NoMemory();
        }
        memcpy(table->words[k], PyUnicode_DATA(word), (size_t)table->lengths[k]);
    }
    region_order(table);
    PyObject *capsule = PyCapsule_New(table, REGION_TABLE_NAME, region_capsule_free);
    if (capsule == NULL) {
        region_table_free(table);
    }
    return capsule;
}

/* A word character of re's \b, in ASCII. */
static int is_ascii_word(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

PyDoc_STRVAR(region_bits_doc,
"region_bits(table, names) -> int or None\n\n"
"The bits of the regions the class or id value names names (see\n"
"region_table), or None when it is not ASCII (Python's code then looks).");

static PyObject *region_bits(PyObject *self, PyObject *args) {
    PyObject *capsule, *names;
    if (!PyArg_ParseTuple(args, "OU", &capsule, &names)) {
        return NULL;
    }
    RegionTable *table = PyCapsule_GetPointer(capsule, REGION_TABLE_NAME);
    if (table == NULL) {
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(names)) {
        Py_RETURN_NONE;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(names);
    const unsigned char *raw = PyUnicode_DATA(names);
    unsigned char *text = PyMem_Malloc((size_t)n + 1);
    if (text == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        text[i] = raw[i] >= 'A' && raw[i] <= 'Z' ? (unsigned char)(raw[i] + ('a' - 'A')) : raw[i];
    }
    long found = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        for (Py_ssize_t j = table->starts[text[i]]; j < table->starts[text[i] + 1]; j++) {
            Py_ssize_t k = table->order[j], length = table->lengths[k];
            if (length <= n - i && memcmp(table->words[k], text + i, (size_t)length) == 0) {
                found |= table->bits[k]; /* the longest word that starts here */
                break;
            }
        }
        if (text[i] == 'a' && i + 1 < n && text[i + 1] == 'd' && (i == 0 || !is_ascii_word(text[i - 1]))) {
            Py_ssize_t end = i + 2;
            if (end == n || !is_ascii_word(text[end])
                || (text[end] == 's' && (end + 1 == n || !is_ascii_word(text[end + 1])))) {
                found |= table->ad_bits;
            }
        }
    }
    PyMem_Free(text);
    return PyLong_FromLong(found);
}

/* ---- end of the region words ---- */

/* ---- A page's topic words (segments/boundary.py, GapFeatures.words) ---- */

/* A letter as re reads [^\W\d_] in a str pattern: a word character (alphanumeric,
 * or '_') that is neither a decimal digit nor '_'. The first 256 characters
 * from a table made on first use (most texts hold no other). */
static unsigned char latin1_letters[256];
static int latin1_letters_made = 0;

static int is_topic_letter(Py_UCS4 c) {
    if (c < 256) {
        if (!latin1_letters_made) {
            for (Py_UCS4 k = 0; k < 256; k++) {
                latin1_letters[k] = Py_UNICODE_ISALNUM(k) && !Py_UNICODE_ISDECIMAL(k);
            }
            latin1_letters_made = 1;
        }
        return latin1_letters[c];
    }
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

/* The str known holds for word (known.setdefault(word, word)), a new
 * reference; the reference to word is taken over (NULL: an error is set). */
static PyObject *known_word(PyObject *known, PyObject *word) {
    if (word == NULL) {
        return NULL;
    }
    PyObject *one = PyDict_SetDefault(known, word, word); /* borrowed */
    Py_XINCREF(one);
    Py_DECREF(word);
    return one;
}

/* The word of an ASCII text's letters from start to end, lower-cased (as
 * str.lower does ASCII: A-Z only), the str known holds for it. */
static PyObject *ascii_word(const Py_UCS1 *text, Py_ssize_t start, Py_ssize_t end, PyObject *known) {
    PyObject *word = PyUnicode_New(end - start, 127);
    if (word == NULL) {
        return NULL;
    }
    Py_UCS1 *room = PyUnicode_1BYTE_DATA(word);
    for (Py_ssize_t i = start; i < end; i++) {
        room[i - start] = (Py_UCS1)(text[i] | 0x20); /* a letter: lower-cased, or already */
    }
    return known_word(known, word);
}

/* text_topic_words of an ASCII text (most lines): its letters are A-Z and
 * a-z, lower-cased where they are read, without a lower-cased copy. */
static PyObject *ascii_topic_words(PyObject *text, PyObject *known, Py_ssize_t min_chars) {
    const Py_UCS1 *data = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), count = 0, run = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        if (i < n && (Py_UCS1)((data[i] | 0x20) - 'a') < 26) {
            run++;
            continue;
        }
        count += run >= min_chars;
        run = 0;
    }
    PyObject *words = PyTuple_New(count);
    Py_ssize_t k = 0;
    run = 0;
    for (Py_ssize_t i = 0; words != NULL && k < count && i <= n; i++) {
        if (i < n && (Py_UCS1)((data[i] | 0x20) - 'a') < 26) {
            run++;
            continue;
        }
        if (run >= min_chars) {
            PyObject *one = ascii_word(data, i - run, i, known);
            if (one == NULL) {
                Py_CLEAR(words);
                break;
            }
            PyTuple_SET_ITEM(words, k++, one);
        }
        run = 0;
    }
    return words;
}

/* The words of one text: the runs of at least min_chars letters of its
 * lower-cased text. runs: room for the runs' bounds, grown as needed. */
static PyObject *text_topic_words(PyObject *text, PyObject *known, Py_ssize_t min_chars, Indexes *runs) {
    if (PyUnicode_IS_ASCII(text)) {
        return ascii_topic_words(text, known, min_chars);
    }
    PyObject *lowered = PyObject_CallMethod(text, "lower", NULL); /* str.lower itself: the same letters */
    if (lowered == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(lowered), run = 0;
    int kind = PyUnicode_KIND(lowered);
    const void *data = PyUnicode_DATA(lowered);
    runs->n = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        if (i < n && is_topic_letter(PyUnicode_READ(kind, data, i))) {
            run++;
            continue;
        }
        if (run >= min_chars && (indexes_add(runs, i - run) < 0 || indexes_add(runs, i) < 0)) {
            Py_DECREF(lowered);
            return PyErr_NoMemory();
        }
        run = 0;
    }
    PyObject *words = PyTuple_New(runs->n / 2);
    for (Py_ssize_t k = 0; words != NULL && k < runs->n / 2; k++) {
        PyObject *one = known_word(known, PyUnicode_Substring(lowered, runs->items[2 * k], runs->items[2 * k + 1]));
        if (one == NULL) {
            Py_CLEAR(words);
            break;
        }
        PyTuple_SET_ITEM(words, k, one);
    }
    Py_DECREF(lowered);
    return words;
}

PyDoc_STRVAR(topic_words_doc,
"topic_words(texts, known, min_chars) -> list[tuple[str, ...]]\n\n"
"The topic words of each text, as re.findall of [^\\W\\d_]{min_chars,} in its\n"
"lower-cased text (str.lower) finds them, each the str known holds for it\n"
"(known.setdefault(word, word)).");

static PyObject *topic_words(PyObject *self, PyObject *args) {
    PyObject *texts, *known;
    Py_ssize_t min_chars;
    if (!PyArg_ParseTuple(args, "O!O!n", &PyList_Type, &texts, &PyDict_Type, &known, &min_chars)) {
        return NULL;
    }
    if (min_chars < 1) {
        PyErr_SetString(PyExc_ValueError, "min_chars must be at least 1");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(texts);
    PyObject *result = PyList_New(n);
    if (result == NULL) {
        return NULL;
    }
    Indexes runs = {0};
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text = PyList_GET_ITEM(texts, i);
        PyObject *words = NULL;
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "topic_words: every text must be a str");
        } else {
            words = text_topic_words(text, known, min_chars, &runs);
        }
        if (words == NULL) {
            PyMem_Free(runs.items);
            Py_DECREF(result);
            return NULL;
        }
        PyList_SET_ITEM(result, i, words);
    }
    PyMem_Free(runs.items);
    return result;
}

/* ---- end of the topic words ---- */

static PyMethodDef methods[] = {
    {"setup", setup, METH_VARARGS, setup_doc},
    {"text_rows", text_rows, METH_VARARGS, text_rows_doc},
    {"band_keys", band_keys, METH_VARARGS, band_keys_doc},
    {"line_fingerprints", line_fingerprints, METH_O, line_fingerprints_doc},
    {"linear_scores", linear_scores, METH_VARARGS, linear_scores_doc},
    {"text_tree_scores", text_tree_scores, METH_VARARGS, text_tree_scores_doc},
    {"html_first_scores", html_first_scores, METH_VARARGS, html_first_scores_doc},
    {"html_second_scores", html_second_scores, METH_VARARGS, html_second_scores_doc},
    {"near_candidates", near_candidates, METH_VARARGS, near_candidates_doc},
    {"concatenation_candidates", concatenation_candidates, METH_VARARGS, concatenation_candidates_doc},
    {"hint_candidates", hint_candidates, METH_VARARGS, hint_candidates_doc},
    {"comment_candidates", comment_candidates, METH_VARARGS, comment_candidates_doc},
    {"split_lines", split_lines, METH_VARARGS, split_lines_doc},
    {"ascii_match_keys", ascii_match_keys, METH_VARARGS, ascii_match_keys_doc},
    {"edge_table", edge_table, METH_VARARGS, edge_table_doc},
    {"edge_probabilities", edge_probabilities, METH_VARARGS, edge_probabilities_doc},
    {"region_table", region_table, METH_VARARGS, region_table_doc},
    {"region_bits", region_bits, METH_VARARGS, region_bits_doc},
    {"seam_candidates", seam_candidates, METH_VARARGS, seam_candidates_doc},
    {"topic_words", topic_words, METH_VARARGS, topic_words_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "cleaner._speedups",
    "What a line's text says, in C, for lines of printable ASCII (see cleaner/_speedups.c).", -1, methods,
};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }

package io.publicdata.nifi.classify;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One pass over a text that records what the detectors need: the maximal runs of ASCII digits and of
 * ASCII letters-and-digits, and a few counts. Detectors validate candidates straight from these runs,
 * and skip texts whose shape cannot hold their identifiers (most values hold none). Not thread-safe: one
 * thread may {@link #reset} an instance for value after value to spare allocations.
 *
 * <p>Detectors read a normalised view of the text, so that the ways people (and spreadsheets) write a number do not
 * hide it: NFKC (full-width digits and letters become ASCII), every decimal digit of any script becomes its ASCII digit,
 * Chinese numerals that write a number ({@code 一三八零零一三八零零零}, {@code 幺三八}) become digits, format characters
 * (zero-width spaces and joiners, word joiner, BOM, soft hyphen, direction marks), combining marks and invisible fillers
 * are dropped, every space separator (NBSP, ideographic space) becomes a space and every dash (en-dash, em-dash, minus
 * sign, full-width hyphen) a {@code -}; a whole value written as a number in E notation with an integral value
 * ({@code 1.3800138E10}) is read as its integer digits; a percent-encoded ASCII character ({@code %31}, {@code %20},
 * {@code %40}) and an HTML character reference ({@code &#49;}, {@code &#x31;}, {@code &nbsp;}, {@code &commat;}) as the
 * character it writes (not one with thousands separators: {@code 13,800,138,000} is far
 * more often an amount). Tabs, line breaks and middle dots join digit groups as spaces, dashes and dots do. {@link #text()} is that view; {@link #originalStart} and {@link #originalEnd} map a span of it back
 * to the characters of the original text that produced it, so that masking covers exactly those.</p>
 */
public final class TextShape {

    private static final String PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
    private static final int[] NONE = new int[0];

    /** How spreadsheets and programs write a large number in floating point: a point in the mantissa, always. */
    private static final Pattern E_NOTATION = Pattern.compile("[+-]?[0-9]+\\.[0-9]+[eE][+]?[0-9]{1,3}");
    /**
     * Punctuation of Chinese text that needs no normalising: its compatibility form is ASCII punctuation that, like itself,
     * does not belong to an identifier (full-width comma, semicolon, parentheses, ! and ?, curly quotes), and the middle
     * dot, which joins digit groups as it is.
     */
    private static final String QUIET = "\uff0c\uff1b\uff08\uff09\uff01\uff1f\u201c\u201d\u2018\u2019\u00b7";
    /** Digits of the smallest identifier a number in E notation is read for (a mobile number). */
    private static final int E_NOTATION_DIGITS = 11;
    /** The Chinese numerals {@link #chineseDigit} reads, as a bit per character: one look-up per CJK character scanned. */
    private static final long[] NUMERALS = new long[1024];

    static {
        for (final char c : "〇零一幺壹二贰貳三叁參四肆五伍六陆陸七柒八捌九玖".toCharArray()) {
            NUMERALS[c >>> 6] |= 1L << c;
        }
    }

    private String original;
    private String text;
    /** For each character of the view: where it starts and ends in the original; null when the view is the original. */
    private int[] starts;
    private int[] ends;
    private int[] startsStore = NONE;
    private int[] endsStore = NONE;
    /** Where the normalised view is built; made when a text first needs one (most never do). */
    private StringBuilder view;
    /** Characters of the original that are Chinese numerals written as digits of a number (see {@link #markChineseDigits}); null when none. */
    private boolean[] hanDigits;
    private boolean[] hanDigitsStore = new boolean[0];
    private int chineseNumerals;
    /** Number of {@code %} and {@code &}: where a percent-encoded character or an HTML character reference may start. */
    private int escapes;
    /** Index of the first ideographic full stop {@code 。}, or -1: in a text with an @, perhaps the dot of an e-mail's domain. */
    private int firstIdeographicStop;
    /** Whether the text being normalised holds an @ (ASCII or full-width). */
    private boolean mayHoldEmail;
    private int digits;
    /** Index of the first character that is neither ASCII, a CJK ideograph nor CJK punctuation; -1 when there is none. */
    private int firstOther;
    private int dots;
    private int colons;
    private boolean at;
    private boolean plateStart;
    /** The characters of the text being scanned, then a '\0'; reused from text to text. */
    private char[] chars = new char[32];
    private int[] digitRuns = NONE;
    private int digitRunCount;
    private int[] wordRuns = NONE;
    private int wordRunCount;
    private int longestDigitRun;
    private int longestDigitGroup;
    private int groupDigits;
    private long wordLengths;

    public static TextShape of(final String text) {
        return new TextShape().reset(text);
    }

    /** Makes this the shape of another text, reusing its storage. */
    public TextShape reset(final String text) {
        this.original = text;
        this.text = text;
        starts = null;
        ends = null;
        hanDigits = null;
        scan();
        // Most values are ASCII and CJK, their own view: only a value with some other character, or with a number written
        // in Chinese numerals, is normalised and scanned again
        final int firstNumeral = chineseNumerals >= 2 || chineseNumerals == 1 && digits >= 6 ? markChineseDigits(text) : -1;
        final int firstEscape = escapes > 0 ? firstEscape(text) : -1;
        mayHoldEmail = firstIdeographicStop >= 0 && (at || text.indexOf('\uff20') >= 0);
        final int firstStop = mayHoldEmail ? firstIdeographicStop : -1;
        if (firstOther >= 0 && mayNeedView(text, firstOther) || firstNumeral >= 0 || firstEscape >= 0 || firstStop >= 0) {
            this.text = normalizeFrom(text, earliest(earliest(earliest(firstOther, firstNumeral), firstEscape), firstStop));
            scan();
        }
        if (this.text.length() < 40 && endsLikeENotation(this.text)) {
            final String digitsOnly = fromENotation(this.text);
            if (digitsOnly != this.text) {
                this.text = digitsOnly;
                scan();
            }
        }
        return this;
    }

    /** The lower of two indexes, either of which may be -1 for none. */
    private static int earliest(final int one, final int other) {
        return one < 0 ? other : other < 0 ? one : Math.min(one, other);
    }

    /** Index of the first percent-encoded character or HTML character reference, or -1. */
    private static int firstEscape(final String input) {
        for (int i = 0; i < input.length(); i++) {
            final char c = input.charAt(i);
            if ((c == '%' || c == '&') && escapeAt(input, i) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The character an escape at this index writes, as {@code end << 32 | code point} ({@code end} exclusive), or -1: a
     * percent-encoded printable ASCII character ({@code %31}, {@code %20}, {@code %40}: URLs and logs of them), a numeric
     * HTML character reference ({@code &#49;}, {@code &#x31;}) or one of the named references that write a space, a dash, a
     * dot or an at sign ({@code &nbsp;}, {@code &commat;}: text taken from web pages, e-mails written so that harvesters
     * miss them).
     */
    static long escapeAt(final String input, final int at) {
        final int length = input.length();
        if (input.charAt(at) == '%') {
            if (at + 2 >= length) {
                return -1;
            }
            final int high = hexDigit(input.charAt(at + 1));
            final int low = hexDigit(input.charAt(at + 2));
            final int cp = high < 0 || low < 0 ? -1 : high * 16 + low;
            return cp >= 0x20 && cp < 0x7f ? (long) (at + 3) << 32 | cp : -1;
        }
        final int semicolon = input.indexOf(';', at + 1);
        if (input.charAt(at) != '&' || semicolon < at + 3 || semicolon - at > LONGEST_REFERENCE) {
            return -1;
        }
        if (input.charAt(at + 1) == '#') {
            final boolean hex = input.charAt(at + 2) == 'x' || input.charAt(at + 2) == 'X';
            final int from = hex ? at + 3 : at + 2;
            int cp = from < semicolon ? 0 : -1;
            for (int i = from; i < semicolon && cp >= 0; i++) {
                final int digit = hex ? hexDigit(input.charAt(i)) : input.charAt(i) >= '0' && input.charAt(i) <= '9' ? input.charAt(i) - '0' : -1;
                cp = digit < 0 || cp > 0x10ffff ? -1 : cp * (hex ? 16 : 10) + digit;
            }
            return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? (long) (semicolon + 1) << 32 | cp : -1;
        }
        final int cp = switch (input.substring(at + 1, semicolon)) {
            case "nbsp", "ensp", "emsp", "thinsp" -> ' ';
            case "hyphen", "dash", "ndash", "mdash", "minus" -> '-';
            case "period" -> '.';
            case "commat" -> '@';
            default -> -1;
        };
        return cp < 0 ? -1 : (long) (semicolon + 1) << 32 | cp;
    }

    /** Longest HTML character reference read, from {@code &} to {@code ;}: {@code &#1114111;}. */
    private static final int LONGEST_REFERENCE = 10;

    private static int hexDigit(final char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /**
     * The digit a Chinese numeral stands for (〇 零 一 … 九, 幺 as 1 is said in telephone numbers, and the financial
     * capitals 壹 贰/貳 叁/參 肆 伍 陆/陸 柒 捌 玖), or -1.
     */
    static int chineseDigit(final int cp) {
        return switch (cp) {
            case '〇', '零' -> 0;
            case '一', '幺', '壹' -> 1;
            case '二', '贰', '貳' -> 2;
            case '三', '叁', '參' -> 3;
            case '四', '肆' -> 4;
            case '五', '伍' -> 5;
            case '六', '陆', '陸' -> 6;
            case '七', '柒' -> 7;
            case '八', '捌' -> 8;
            case '九', '玖' -> 9;
            default -> -1;
        };
    }

    /**
     * Marks the Chinese numerals that write digits of a number: those in a run of digits, numerals and the separators
     * that join digit groups, where the run holds two numerals or more, or one between digits ({@code 一三八零零一三八零零零},
     * {@code 138零0138000}, {@code 幺三八 0013 8000}). A lone numeral at the edge of a number ({@code 第一13800138000},
     * {@code 统一}) is a word, not a digit. Returns the index of the first numeral marked, or -1.
     */
    private int markChineseDigits(final String input) {
        final int length = input.length();
        if (hanDigitsStore.length < length) {
            hanDigitsStore = new boolean[Math.max(length, hanDigitsStore.length * 2)];
        } else {
            Arrays.fill(hanDigitsStore, 0, length, false);
        }
        int first = -1;
        int i = 0;
        while (i < length) {
            if (!isNumberChar(input.charAt(i))) {
                i++;
                continue;
            }
            // A run from a digit or numeral to the last digit or numeral before something else
            final int start = i;
            int end = i;
            int numerals = 0;
            boolean inner = false;
            while (i < length && (isNumberChar(input.charAt(i)) || joinedBySeparators(input, i, i + 1))) {
                final char c = input.charAt(i);
                if (isNumberChar(c)) {
                    end = i + 1;
                    if (chineseDigit(c) >= 0) {
                        numerals++;
                        inner |= i > start && i + 1 < length && isNumberChar(input.charAt(i + 1));
                    }
                }
                i++;
            }
            if (numerals >= 2 || numerals == 1 && inner) {
                for (int k = start; k < end; k++) {
                    if (chineseDigit(input.charAt(k)) >= 0) {
                        hanDigitsStore[k] = true;
                        first = first < 0 ? k : first;
                    }
                }
            }
        }
        hanDigits = first < 0 ? null : hanDigitsStore;
        return first;
    }

    private static boolean isNumberChar(final char c) {
        return c >= '0' && c <= '9' || isChineseNumeral(c);
    }

    /** Whether {@link #chineseDigit} reads the character as a digit. */
    static boolean isChineseNumeral(final char c) {
        return (NUMERALS[c >>> 6] & 1L << c) != 0;
    }

    /** Hangul and Khmer fillers: letters that show nothing (default-ignorable, like the format characters). */
    private static boolean isInvisibleFiller(final int cp) {
        return cp == 0x115f || cp == 0x1160 || cp == 0x3164 || cp == 0xffa0 || cp == 0x17b4 || cp == 0x17b5;
    }

    /** Whether a text ends as a number in E notation does: a digit, and an {@code e} or {@code E} shortly before it. */
    private static boolean endsLikeENotation(final String text) {
        final int last = text.length() - 1;
        if (last < 3 || text.charAt(last) < '0' || text.charAt(last) > '9') {
            return false;
        }
        for (int i = last - 1; i >= Math.max(0, last - 4); i--) {
            final char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                return true;
            }
        }
        return false;
    }

    /** Whether the text, from the first character that may change, holds something an identifier is made of. */
    private static boolean mayNeedView(final String input, final int from) {
        for (int i = 0; i < input.length(); i++) {
            final char c = input.charAt(i);
            if (c >= '0' && c <= '9' || c == '@' || c == ':') {
                return true;
            }
            if (i >= from && c >= 0x80 && (c < '\u4e00' || c > '\u9fff')
                    && (Character.isDigit(c) || c == '\uff20' || c == '\uff1a' || Character.getType(c) == Character.OTHER_NUMBER
                    || Character.isSurrogate(c) || Character.getType(c) == Character.LETTER_NUMBER)) {
                return true;
            }
        }
        return false;
    }

    private String normalizeFrom(final String input, final int from) {
        if (view == null) {
            view = new StringBuilder(input.length() + 16);
        }
        view.setLength(0);
        final int length = input.length();
        ensureMaps(length + 16);
        for (int i = 0; i < from; i++) {
            view.append(input.charAt(i));
            starts[i] = i;
            ends[i] = i + 1;
        }
        int i = from;
        while (i < length) {
            int cp = input.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (hanDigits != null && i < hanDigits.length && hanDigits[i]) {
                append('0' + chineseDigit(cp), i, next);
                i = next;
                continue;
            }
            if (cp == '%' || cp == '&') {
                // A percent-encoded character or an HTML character reference reads as the character it writes
                final long escape = escapeAt(input, i);
                if (escape >= 0) {
                    cp = (int) escape;
                    next = (int) (escape >>> 32);
                }
            }
            if (cp == '\u3002' && mayHoldEmail && isEmailDot(input, next)) {
                // An e-mail typed with a Chinese input method: zhang@example。com
                cp = '.';
            }
            normalize(cp, i, next);
            i = next;
        }
        return view.toString();
    }

    /**
     * Whether an ideographic full stop before this index stands for the dot of an e-mail's domain: ASCII letters or digits
     * (after normalising) on both sides, and an @ before it.
     */
    private boolean isEmailDot(final String input, final int next) {
        final int before = view.length() - 1;
        if (before < 0 || next >= input.length() || view.lastIndexOf("@") < 0) {
            return false;
        }
        final char previous = view.charAt(before);
        final char following = input.charAt(next) >= 0xff01 && input.charAt(next) <= 0xff5e ? (char) (input.charAt(next) - 0xfee0) : input.charAt(next);
        return isAsciiAlphanumeric(previous) && isAsciiAlphanumeric(following);
    }

    private static boolean isAsciiAlphanumeric(final char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** Appends the normalised form of a character written by the original's characters from start to end (exclusive). */
    private void normalize(final int cp, final int start, final int end) {
        if (isInvisibleFiller(cp)) {
            // Hangul and Khmer fillers: letters that show nothing, dropped as format characters are
            return;
        }
        if (cp < 0x80 || cp >= 0x4e00 && cp <= 0x9fff || cp > 0x3000 && cp <= 0x303f) {
            // ASCII, CJK ideographs and CJK punctuation (、。「」) are their own compatibility form
            append(cp, start, end);
        } else if (cp >= 0xff01 && cp <= 0xff5e) {
            // Full-width ASCII (１, Ｘ, ＠, －, ，), the most common non-ASCII writing: NFKC without the normaliser
            append(cp - 0xfee0, start, end);
        } else {
            switch (Character.getType(cp)) {
                // Invisible or a mark on the character before it: neither separates nor makes a digit another digit
                case Character.FORMAT, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK -> { }
                case Character.DECIMAL_DIGIT_NUMBER -> append('0' + Character.digit(cp, 10), start, end);
                case Character.SPACE_SEPARATOR -> append(' ', start, end);
                case Character.DASH_PUNCTUATION -> append('-', start, end);
                default -> {
                    if (cp == '\u2212') {
                        append('-', start, end);
                    } else {
                        final String compatible = Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFKC);
                        for (int k = 0; k < compatible.length(); k++) {
                            final char c = compatible.charAt(k);
                            append(Character.isSpaceChar(c) ? ' ' : c == '\u2212' || Character.getType(c) == Character.DASH_PUNCTUATION ? '-' : c,
                                    start, end);
                        }
                    }
                }
            }
        }
    }

    private void append(final int cp, final int start, final int end) {
        final int at = view.length();
        view.appendCodePoint(cp);
        for (int k = at; k < view.length(); k++) {
            ensureMaps(k + 1);
            starts[k] = start;
            ends[k] = end;
        }
    }

    private void ensureMaps(final int size) {
        if (startsStore.length < size) {
            startsStore = Arrays.copyOf(startsStore, Math.max(size, startsStore.length * 2));
            endsStore = Arrays.copyOf(endsStore, startsStore.length);
        }
        starts = startsStore;
        ends = endsStore;
    }

    /** A whole value in E notation with an integral value of at least a mobile number's digits: its integer digits. */
    private String fromENotation(final String normalized) {
        final int e = normalized.indexOf('e') >= 0 ? normalized.indexOf('e') : normalized.indexOf('E');
        if (e < 0 || !E_NOTATION.matcher(normalized.strip()).matches()) {
            return normalized;
        }
        final BigDecimal value = new BigDecimal(normalized.strip()).abs();
        if (value.signum() == 0 || value.stripTrailingZeros().scale() > 0 || value.precision() - value.scale() < E_NOTATION_DIGITS) {
            return normalized;
        }
        final String integer = value.toBigInteger().toString();
        ensureMaps(integer.length());
        // Every digit stands for the whole written value: masking a span of them masks all of it
        for (int k = 0; k < integer.length(); k++) {
            starts[k] = 0;
            ends[k] = original.length();
        }
        return integer;
    }

    /** The text as given, before normalisation. */
    public String original() {
        return original;
    }

    /** Where the character of the view at this index starts in the original text. */
    public int originalStart(final int index) {
        return starts == null ? index : starts[index];
    }

    /** Where a span of the view ending (exclusive) at this index ends in the original text. */
    public int originalEnd(final int end) {
        return starts == null ? end : end == 0 ? 0 : ends[end - 1];
    }

    private void scan() {
        digits = 0;
        dots = 0;
        colons = 0;
        at = false;
        plateStart = false;
        digitRunCount = 0;
        wordRunCount = 0;
        longestDigitRun = 0;
        longestDigitGroup = 0;
        groupDigits = 0;
        wordLengths = 0;
        firstOther = -1;
        chineseNumerals = 0;
        escapes = 0;
        firstIdeographicStop = -1;
        final int length = text.length();
        // The characters, and a '\0' after them that ends any run: read from an array, they need no checks per character
        if (chars.length <= length) {
            chars = new char[Math.max(length + 1, chars.length * 2)];
        }
        text.getChars(0, length, chars, 0);
        chars[length] = '\0';
        int digitStart = -1;
        int wordStart = -1;
        for (int i = 0; i <= length; i++) {
            final char c = chars[i];
            final boolean digit = c >= '0' && c <= '9';
            final boolean word = digit || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if (digit) {
                digits++;
                if (digitStart < 0) {
                    digitStart = i;
                }
            } else if (digitStart >= 0) {
                endDigitRun(digitStart, i);
                digitStart = -1;
            }
            if (word) {
                if (wordStart < 0) {
                    wordStart = i;
                }
            } else if (wordStart >= 0) {
                wordRuns = add(wordRuns, wordRunCount++, wordStart, i);
                wordLengths |= 1L << Math.min(i - wordStart, 63);
                wordStart = -1;
            }
            if (c < 0x80) {
                switch (c) {
                    case '.' -> dots++;
                    case ':' -> colons++;
                    case '@' -> at = true;
                    case '%', '&' -> escapes++;
                    default -> { }
                }
            } else {
                if (firstOther < 0 && (c < '\u4e00' || c > '\u9fff') && (c <= '\u3000' || c > '\u303f') && QUIET.indexOf(c) < 0) {
                    firstOther = i;
                }
                if (c >= '\u4e00' && (chars[i + 1] >= 'A' && chars[i + 1] <= 'Z' || chars[i + 1] >= 'a' && chars[i + 1] <= 'z')
                        && PROVINCES.indexOf(c) >= 0) {
                    plateStart = true;
                }
                if (isChineseNumeral(c)) {
                    chineseNumerals++;
                }
                if (c == '\u3002' && firstIdeographicStop < 0) {
                    firstIdeographicStop = i;
                }
            }
        }
    }

    private void endDigitRun(final int start, final int end) {
        final int length = end - start;
        // A run continues the previous group when separators people write between digit groups part them: 138 0013 8000
        final boolean joined = digitRunCount > 0 && joinedBySeparators(text, digitRunEnd(digitRunCount - 1), start);
        groupDigits = joined ? groupDigits + length : length;
        longestDigitGroup = Math.max(longestDigitGroup, groupDigits);
        longestDigitRun = Math.max(longestDigitRun, length);
        digitRuns = add(digitRuns, digitRunCount++, start, end);
    }

    /** Most separator characters between two digit groups that still join them, as in {@code 138 - 0013 - 8000}. */
    static final int MAX_SEPARATORS = 3;

    /**
     * Whether the characters from {@code from} to {@code to} (exclusive) are one to three separators: spaces (a tab or a
     * line break too, as pasted from a spreadsheet or wrapped text), dashes, dots or middle dots ({@code ·}, {@code ・}).
     */
    static boolean joinedBySeparators(final String text, final int from, final int to) {
        if (to - from < 1 || to - from > MAX_SEPARATORS) {
            return false;
        }
        for (int i = from; i < to; i++) {
            switch (text.charAt(i)) {
                case ' ', '-', '.', '\t', '\n', '\r', '\u00b7', '\u30fb' -> { }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    private static int[] add(final int[] runs, final int index, final int start, final int end) {
        final int[] target = runs.length > index * 2 + 1 ? runs : Arrays.copyOf(runs, Math.max(8, runs.length * 2));
        target[index * 2] = start;
        target[index * 2 + 1] = end;
        return target;
    }

    public String text() {
        return text;
    }

    /** Number of ASCII digits. */
    public int digits() {
        return digits;
    }

    public int dots() {
        return dots;
    }

    public int colons() {
        return colons;
    }

    public boolean hasAt() {
        return at;
    }

    /** Length of the longest run of digits. */
    public int longestDigitRun() {
        return longestDigitRun;
    }

    /** Most digits in runs joined by separators, as in 6222 0202 0000 1234 567 or 138.0013.8000. */
    public int longestDigitGroup() {
        return longestDigitGroup;
    }

    /** Whether some word (maximal run of ASCII letters and digits) is exactly this long (at most 62). */
    public boolean hasWordOfLength(final int length) {
        return (wordLengths & (1L << length)) != 0;
    }

    /**
     * Whether any built-in detector could find something here: the union of their
     * {@link Detector#mayOccurIn} tests, checked once so that plain values skip every detector.
     */
    public boolean mayHoldIdentifier() {
        return longestDigitGroup >= 11 || wordLengths != 0 && (hasWordOfLength(9) || hasWordOfLength(18))
                || at || (plateStart && digits >= 3) || (dots >= 3 && digits >= 4) || colons >= 2;
    }

    /** Whether a province abbreviation is followed by a letter, as at the start of a vehicle plate. */
    public boolean hasPlateStart() {
        return plateStart;
    }

    /** Number of maximal runs of ASCII digits. */
    public int digitRunCount() {
        return digitRunCount;
    }

    public int digitRunStart(final int run) {
        return digitRuns[run * 2];
    }

    public int digitRunEnd(final int run) {
        return digitRuns[run * 2 + 1];
    }

    /** Number of maximal runs of ASCII letters and digits ("words"). */
    public int wordRunCount() {
        return wordRunCount;
    }

    public int wordRunStart(final int run) {
        return wordRuns[run * 2];
    }

    public int wordRunEnd(final int run) {
        return wordRuns[run * 2 + 1];
    }

    /** Whether the character at the index exists and is an ASCII letter or digit. */
    public boolean isWordCharAt(final int index) {
        if (index < 0 || index >= text.length()) {
            return false;
        }
        final char c = text.charAt(index);
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}

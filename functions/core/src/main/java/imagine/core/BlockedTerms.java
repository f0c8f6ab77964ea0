package imagine.core;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Words and phrases no prompt may contain, from {@code BLOCKED_TERMS} (comma-separated), checked the same way for a
 * typed prompt and for one the text model wrote. Matched on whole words: "war" blocks "a war scene" but not "a warm
 * scene"; a phrase matches its words in a row, whatever punctuation or spacing stands between them, and its words
 * written together ("blood bath", "bloodbath").
 *
 * <p>Text and terms are read alike, so that spellings which look or read the same are the same word:
 * <ul>
 *   <li>NFKC, so fullwidth, mathematical and circled letters are plain ones ({@code ｎｕｄｅ}, {@code 𝐧𝐮𝐝𝐞});
 *   <li>case, accents and other combining marks, format characters (zero-width space and joiners, soft hyphen, word
 *       joiner, BOM) and invisible fillers are dropped ({@code NÜDE}, {@code n\u200Bude}, {@code n\u0336u\u0336de});
 *   <li>Greek letters and the Cyrillic ones Russian does not use ({@code ѕ}, {@code і}, {@code ј}, …) are read as the
 *       Latin letters they look like; a word that mixes Latin and Cyrillic letters is read both with every Cyrillic
 *       look-alike as Latin ({@code nudе} with a Cyrillic {@code е}) and with every Latin look-alike as Cyrillic
 *       ({@code вoр} with a Latin {@code o}). A word in one script is read as written, so the Russian {@code рот} is
 *       not the English {@code pot};
 *   <li>letters standing one by one, whatever separates them ({@code n.u.d.e}, {@code n-u-d-e}, {@code n u d e}),
 *       are read as the words they spell, and the parts of a word split by punctuation alone as one word
 *       ({@code nu.de});
 *   <li>a Latin term also matches its plural ({@code nudes}, {@code kisses}, {@code pussies}); a Cyrillic one its
 *       common Russian noun and adjective endings ({@code кровь}: {@code крови}, {@code кровью}).
 * </ul>
 */
public final class BlockedTerms {
    public static final BlockedTerms NONE = new BlockedTerms(List.of());
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    /**
     * Characters that show nothing: format characters, combining marks and the Hangul fillers; but the breve of a
     * decomposed {@code й}, a letter of its own ({@code воина} is not {@code война}).
     */
    private static final Pattern INVISIBLE = Pattern.compile(
            "(?<!и)\\u0306|[[\\p{Cf}\\p{Mn}\\p{Me}\\u115F\\u1160\\u3164\\uFFA0]&&[^\\u0306]]");
    /** Letters that only pass for Latin ones in a prompt: Greek, and Cyrillic that Russian does not use. */
    private static final Map<Integer, String> ALWAYS_LATIN = lookAlikes(
            "ΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧXαaβbγyεeηnιiκkμuνvοoρpτtυuχxωwϲcϳjϹC"
                    + "ЅSІIЈJѕsіiјjԁdԛqԝwһhӏlүyҮY");
    /** Russian letters and the Latin letters they look like, lower case. */
    private static final Map<Integer, String> CYRILLIC_TO_LATIN = lookAlikes("аaвbеeкkмmнhоoрpсcтtуyхx");
    private static final Map<Integer, String> LATIN_TO_CYRILLIC = lookAlikes("aаbвeеkкmмhнoоpрcсtтyуxх");
    private static final Pattern ENGLISH_ES = Pattern.compile("(s|x|z|ch|sh|o)$");
    private static final Pattern CONSONANT_Y = Pattern.compile("[^aeiou]y$");
    /** Common endings of Russian nouns and adjectives, longest first. */
    private static final List<String> RUSSIAN_ENDINGS = Arrays.stream(("а я о е у ю ы и ь й ой ей ий ый ая яя ое ее ые"
                    + " ие ую юю ом ем ам ям ах ях ов ев ью ею ою их ых им ым ия ии ию ами ями ого его ому ему ыми ими"
                    + " ией иям иях иями").split(" "))
            .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    /** A stem keeps at least this many letters, so a short term is not cut down to almost nothing. */
    private static final int SHORTEST_STEM = 3;
    /** Room past a term's length for its longest ending, when letters standing one by one are put together. */
    private static final int LONGEST_ENDING = 4;

    private final List<Term> terms;
    private final int longestSpelling;

    private BlockedTerms(List<Term> terms) {
        this.terms = terms;
        this.longestSpelling = terms.stream().mapToInt(term -> String.join("", term.words()).length()).max().orElse(0)
                + LONGEST_ENDING;
    }

    public static BlockedTerms parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return NONE;
        }
        return new BlockedTerms(Arrays.stream(commaSeparated.split(","))
                .map(Term::of)
                .filter(term -> !term.words().isEmpty())
                .toList());
    }

    public static BlockedTerms from(Map<String, String> env) {
        return parse(env.get("BLOCKED_TERMS"));
    }

    /** The first blocked term the text contains, as configured (lower case); empty when it has none. */
    public Optional<String> foundIn(String text) {
        if (terms.isEmpty() || text == null) {
            return Optional.empty();
        }
        Reading reading = read(text);
        return terms.stream().filter(reading::contains).map(Term::name).findFirst();
    }

    /**
     * A term as configured (its words in lower case), its words as they are read, the forms each word matches, and
     * the forms of its words written together.
     */
    private record Term(String name, List<String> words, List<Set<String>> wordForms, Set<String> together) {

        static Term of(String configured) {
            List<String> words = wordsOf(normalized(configured));
            return new Term(String.join(" ", wordsOf(configured.toLowerCase(Locale.ROOT))), words,
                    words.stream().map(BlockedTerms::forms).toList(), forms(String.join("", words)));
        }
    }

    /**
     * A text as the terms are looked for in it: each word's readings in order, and every single word it can be read
     * as, including those that words standing apart spell together (letters one by one, parts split by punctuation).
     */
    private record Reading(List<Set<String>> words, Set<String> anyWord) {

        boolean contains(Term term) {
            if (!Collections.disjoint(anyWord, term.together())) {
                return true;
            }
            // A term of one word is its own "together"; a phrase is also looked for word by word.
            for (int start = 0; term.words().size() > 1 && start + term.words().size() <= words.size(); start++) {
                if (matchesAt(term, start)) {
                    return true;
                }
            }
            return false;
        }

        private boolean matchesAt(Term term, int start) {
            for (int i = 0; i < term.words().size(); i++) {
                if (Collections.disjoint(words.get(start + i), term.wordForms().get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    private Reading read(String text) {
        List<String> words = new ArrayList<>();
        Set<String> spelled = new HashSet<>();
        for (String chunk : SPACE.split(normalized(text))) {
            List<String> parts = wordsOf(chunk);
            if (parts.size() > 1) {
                spelled.add(String.join("", parts));
            }
            words.addAll(parts);
        }
        for (int start = 0; start < words.size(); start++) {
            StringBuilder letters = new StringBuilder();
            for (int end = start; end < words.size() && isOneLetter(words.get(end))
                    && letters.length() < longestSpelling; end++) {
                letters.append(words.get(end));
                if (end > start) {
                    spelled.add(letters.toString());
                }
            }
        }
        List<Set<String>> readings = words.stream().map(BlockedTerms::readings).toList();
        Set<String> anyWord = new HashSet<>();
        readings.forEach(anyWord::addAll);
        spelled.forEach(word -> anyWord.addAll(readings(word)));
        return new Reading(readings, anyWord);
    }

    /** NFKC, the letters that only pass for Latin as Latin, lower case, and nothing invisible. */
    private static String normalized(String text) {
        String compatible = replace(Normalizer.normalize(text, Normalizer.Form.NFKC), ALWAYS_LATIN);
        String decomposed = Normalizer.normalize(compatible.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        return Normalizer.normalize(INVISIBLE.matcher(decomposed).replaceAll(""), Normalizer.Form.NFC);
    }

    /** The word as written, and, when it mixes Latin and Cyrillic letters, as read in each of the two. */
    private static Set<String> readings(String word) {
        boolean latin = word.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.LATIN);
        if (!latin || !isCyrillic(word)) {
            return Set.of(word);
        }
        return Set.copyOf(List.of(word, replace(word, CYRILLIC_TO_LATIN), replace(word, LATIN_TO_CYRILLIC)));
    }

    /** The word and its forms: English plurals for a Latin word, common endings on its stem for a Russian one. */
    private static Set<String> forms(String word) {
        Set<String> forms = new HashSet<>(Set.of(word));
        if (isCyrillic(word)) {
            String stem = russianStem(word);
            RUSSIAN_ENDINGS.forEach(ending -> forms.add(stem + ending));
            return Set.copyOf(forms);
        }
        forms.add(word + "s");
        if (ENGLISH_ES.matcher(word).find()) {
            forms.add(word + "es");
        }
        if (CONSONANT_Y.matcher(word).find()) {
            forms.add(word.substring(0, word.length() - 1) + "ies");
        }
        return Set.copyOf(forms);
    }

    private static String russianStem(String term) {
        return RUSSIAN_ENDINGS.stream()
                .filter(ending -> term.endsWith(ending) && term.length() - ending.length() >= SHORTEST_STEM)
                .findFirst().map(ending -> term.substring(0, term.length() - ending.length())).orElse(term);
    }

    private static List<String> wordsOf(String text) {
        return NOT_WORD.splitAsStream(text).filter(word -> !word.isEmpty()).toList();
    }

    private static boolean isCyrillic(String word) {
        return word.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.CYRILLIC);
    }

    private static boolean isOneLetter(String word) {
        return word.codePointCount(0, word.length()) == 1 && Character.isLetter(word.codePointAt(0));
    }

    private static String replace(String text, Map<Integer, String> letters) {
        StringBuilder replaced = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            String other = letters.get(c);
            if (other != null) {
                replaced.append(other);
            } else {
                replaced.appendCodePoint(c);
            }
        });
        return replaced.toString();
    }

    /** Pairs of code points, each letter followed by the one it is read as. */
    private static Map<Integer, String> lookAlikes(String pairs) {
        int[] codePoints = pairs.codePoints().toArray();
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i + 1 < codePoints.length; i += 2) {
            map.put(codePoints[i], Character.toString(codePoints[i + 1]));
        }
        return Map.copyOf(map);
    }
}

// When to answer, ask, or admit not knowing. Confidence is calibrated by the
// retrieval stage (see README, "Confidence"), so these thresholds are
// probabilities of being right: a wrong answer costs more than a question.
export const Policy = {
  /** At or above: answer the top entry. */
  answer: 0.6,
  /** Below: fall back honestly instead of guessing. */
  fallback: 0.2,
  /** Candidates scoring within this ratio of the best are close enough to ask about. */
  closeRatio: 0.9,
  /** At most this many options in a clarifying question. */
  maxOptions: 5,
  /** Offer a satisfaction rating once this many answers were given. */
  ratingAfterAnswers: 1,
} as const;

package imagine.local.replicate;

/** Ends a request with a {@link Problem} answer. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    ApiException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }
}

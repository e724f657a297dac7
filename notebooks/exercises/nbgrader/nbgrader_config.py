# nbgrader's configuration of the course's Go assignments (notebooks/exercises/README.md, "For
# instructors: nbgrader"). Run nbgrader in this directory: source/<assignment>/<name>.ipynb are the
# instructor's notebooks, written by `go run ./exercises/mkexercises` from ../solutions/ (never edit
# them: edit the solution and run it again); nbgrader writes release/, submitted/, autograded/,
# feedback/ and gradebook.db next to them.
c = get_config()  # noqa: F821 (traitlets defines it)

c.CourseDirectory.course_id = "dlnb"

# Go solution regions: mkexercises writes "// BEGIN SOLUTION" ... "// END SOLUTION" around the
# solution's lines, with the blank's zero values ("node0 := 0.0" before, "return 0" after) outside
# the region, so what generate_assignment leaves compiles and runs: the zero value plus this stub.
c.ClearSolutions.begin_solution_delimeter = "// BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "// END SOLUTION"
c.ClearSolutions.code_stub = {"go": "// YOUR CODE HERE"}

# The kernel: the notebooks' own kernelspec, "dlnb" (GoNB with the course's packages; language
# "go", the key of code_stub). Points: each check is an autograded test cell worth 1 point, set in
# the cell's metadata by mkexercises (checkPoints). A test cell scores 0 when it has an error
# output: check.Graded exits 1 with the check's message, and a compile error is an error too.
c.Execute.timeout = 600  # a cell may train a model; nbgrader's default is 30 s
c.Execute.allow_errors = True

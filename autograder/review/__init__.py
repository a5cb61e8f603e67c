"""Review: written answers graded by people, and the class report."""

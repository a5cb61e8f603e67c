"""Authoring: a chapter master becomes the student notebook, public checks, the autograder zip, the nbgrader
course, reference pages and the audits that hold the questions to the course's standards."""

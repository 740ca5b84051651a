"""reportgen: runs the Backpropagation lab's experiments and writes its report."""
__version__ = "0.1.0"

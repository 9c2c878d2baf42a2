"""medications"""

-- The 2023 spring releases of one company (the family row's `company`),
-- for the one-page notes of content/notes.md.
SELECT day, product
FROM releases
WHERE org LIKE '%' || :company || '%'
ORDER BY day

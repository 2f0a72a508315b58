"""The SQL of benchmarks/province.py: the set-based clone of the 2022 plan into counties 2..N
and the year of reports."""

# --- the clone, set-based ---------------------------------------------------------------------

# Every statement reads the template (county 1) and writes counties 2..N at once; %(n)s is N.
# pfx(c) is the county's name prefix, slug(c) its plan's slug.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION pg_temp.pfx(c int) RETURNS text IMMUTABLE LANGUAGE sql AS
  $$ SELECT CASE WHEN c = 1 THEN '' ELSE '模拟县' || lpad(c::text, 3, '0') END $$;
CREATE OR REPLACE FUNCTION pg_temp.slug(c int) RETURNS text IMMUTABLE LANGUAGE sql AS
  $$ SELECT CASE WHEN c = 1 THEN '2022' ELSE '2022-c' || lpad(c::text, 3, '0') END $$;
"""

CLONE = [
    (
        "units",
        """INSERT INTO departments_department (name, kind, sort_order, is_active)
        SELECT pg_temp.pfx(c) || d.name, d.kind, d.sort_order, d.is_active
        FROM departments_department d, generate_series(2, %(n)s) c
        WHERE d.id IN (SELECT id FROM tmpl_department) ORDER BY c, d.id""",
    ),
    (
        "unit groups",
        """INSERT INTO departments_unitgroup (name, description, sort_order)
        SELECT pg_temp.pfx(c) || g.name, g.description, g.sort_order
        FROM departments_unitgroup g, generate_series(2, %(n)s) c
        WHERE g.id IN (SELECT id FROM tmpl_group) ORDER BY c, g.id""",
    ),
    (
        "group members",
        """INSERT INTO departments_unitgroup_members (unitgroup_id, department_id)
        SELECT ng.id, nd.id
        FROM departments_unitgroup_members m
        JOIN departments_unitgroup g ON g.id = m.unitgroup_id
        JOIN departments_department d ON d.id = m.department_id
        CROSS JOIN generate_series(2, %(n)s) c
        JOIN departments_unitgroup ng ON ng.name = pg_temp.pfx(c) || g.name
        JOIN departments_department nd ON nd.name = pg_temp.pfx(c) || d.name
        WHERE g.id IN (SELECT id FROM tmpl_group)""",
    ),
    (
        "leaders",
        """INSERT INTO leaders_leader (name, title, sort_order)
        SELECT pg_temp.pfx(c) || l.name, l.title, l.sort_order
        FROM leaders_leader l, generate_series(2, %(n)s) c
        WHERE l.id IN (SELECT id FROM tmpl_leader) ORDER BY c, l.id""",
    ),
    (
        "plans",
        """INSERT INTO tasks_plan (slug, year, title, doc_number, issued_on, is_active, cycle,
            due_weekday, due_month_day, due_time, created_at, updated_at)
        SELECT pg_temp.slug(c), p.year, pg_temp.pfx(c) || p.title, p.doc_number, p.issued_on,
            p.is_active, p.cycle, p.due_weekday, p.due_month_day, p.due_time, now(), now()
        FROM tasks_plan p, generate_series(2, %(n)s) c WHERE p.slug = '2022' ORDER BY c""",
    ),
    (
        "plan sources",
        """INSERT INTO tasks_plansource (plan_id, text)
        SELECT np.id, s.text FROM tasks_plansource s JOIN tasks_plan p ON p.id = s.plan_id
        CROSS JOIN generate_series(2, %(n)s) c JOIN tasks_plan np ON np.slug = pg_temp.slug(c)
        WHERE p.slug = '2022'""",
    ),
    (
        "sections",
        """INSERT INTO tasks_section (plan_id, number, title, "order")
        SELECT np.id, s.number, s.title, s."order"
        FROM tasks_section s JOIN tasks_plan p ON p.id = s.plan_id
        CROSS JOIN generate_series(2, %(n)s) c JOIN tasks_plan np ON np.slug = pg_temp.slug(c)
        WHERE p.slug = '2022' ORDER BY c, s."order" """,
    ),
    (
        "tasks",
        """INSERT INTO tasks_task (plan_id, section_id, number, title, text, sort_order,
            deadline, extended_deadline, closed_on)
        SELECT np.id, ns.id, t.number, t.title, t.text, t.sort_order, t.deadline,
            t.extended_deadline, t.closed_on
        FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id
        JOIN tasks_section s ON s.id = t.section_id
        CROSS JOIN generate_series(2, %(n)s) c
        JOIN tasks_plan np ON np.slug = pg_temp.slug(c)
        JOIN tasks_section ns ON ns.plan_id = np.id AND ns.number = s.number
        WHERE p.slug = '2022' ORDER BY c, t.sort_order""",
    ),
    (
        "task map",
        """CREATE TEMP TABLE task_map AS
        SELECT c, t.id AS old_id, nt.id AS new_id
        FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id AND p.slug = '2022'
        CROSS JOIN generate_series(1, %(n)s) c
        JOIN tasks_plan np ON np.slug = pg_temp.slug(c)
        JOIN tasks_task nt ON nt.plan_id = np.id AND nt.number = t.number;
        CREATE UNIQUE INDEX ON task_map (c, old_id);
        CREATE TEMP TABLE dept_map AS
        SELECT c, d.id AS old_id, nd.id AS new_id
        FROM departments_department d CROSS JOIN generate_series(1, %(n)s) c
        JOIN departments_department nd ON nd.name = pg_temp.pfx(c) || d.name
        WHERE d.id IN (SELECT id FROM tmpl_department);
        CREATE UNIQUE INDEX ON dept_map (c, old_id);
        CREATE TEMP TABLE group_map AS
        SELECT c, g.id AS old_id, ng.id AS new_id
        FROM departments_unitgroup g CROSS JOIN generate_series(1, %(n)s) c
        JOIN departments_unitgroup ng ON ng.name = pg_temp.pfx(c) || g.name
        WHERE g.id IN (SELECT id FROM tmpl_group);
        CREATE UNIQUE INDEX ON group_map (c, old_id);
        CREATE TEMP TABLE leader_map AS
        SELECT c, l.id AS old_id, nl.id AS new_id
        FROM leaders_leader l CROSS JOIN generate_series(1, %(n)s) c
        JOIN leaders_leader nl ON nl.name = pg_temp.pfx(c) || l.name
        WHERE l.id IN (SELECT id FROM tmpl_leader);
        CREATE UNIQUE INDEX ON leader_map (c, old_id)""",
    ),
    (
        "task parents",
        """UPDATE tasks_task nt SET parent_id = pm.new_id
        FROM task_map tm JOIN tasks_task t ON t.id = tm.old_id
        JOIN task_map pm ON pm.c = tm.c AND pm.old_id = t.parent_id
        WHERE nt.id = tm.new_id AND tm.c > 1 AND t.parent_id IS NOT NULL""",
    ),
    (
        "lead leaders",
        """INSERT INTO tasks_taskleader (task_id, leader_id, position)
        SELECT tm.new_id, lm.new_id, tl.position FROM tasks_taskleader tl
        JOIN task_map tm ON tm.old_id = tl.task_id AND tm.c > 1
        JOIN leader_map lm ON lm.c = tm.c AND lm.old_id = tl.leader_id""",
    ),
    (
        "unit links",
        """INSERT INTO tasks_taskunit (task_id, role, position, department_id, group_id,
            written_name)
        SELECT tm.new_id, tu.role, tu.position, dm.new_id, gm.new_id,
            pg_temp.pfx(tm.c) || tu.written_name
        FROM tasks_taskunit tu JOIN task_map tm ON tm.old_id = tu.task_id AND tm.c > 1
        LEFT JOIN dept_map dm ON dm.c = tm.c AND dm.old_id = tu.department_id
        LEFT JOIN group_map gm ON gm.c = tm.c AND gm.old_id = tu.group_id""",
    ),
    (
        "indicators",
        """INSERT INTO tasks_indicator (task_id, name, comparator, target, unit, kind, phrase,
            position, edited_by_office)
        SELECT tm.new_id, i.name, i.comparator, i.target, i.unit, i.kind, i.phrase, i.position,
            i.edited_by_office
        FROM tasks_indicator i JOIN task_map tm ON tm.old_id = i.task_id AND tm.c > 1""",
    ),
    (
        "duties",
        """CREATE TEMP TABLE duty AS
        SELECT tm.c, tm.new_id AS task_id, dm.new_id AS department_id, b.role, b.k
        FROM base_duty b JOIN task_map tm ON tm.old_id = b.task_id
        JOIN dept_map dm ON dm.c = tm.c AND dm.old_id = b.department_id;
        CREATE INDEX ON duty (c)""",
    ),
]

# One report per duty × week unless the hash says "missing". r: a number 0..999 from the
# duty's place in the plan (k) and the week (w); the same in every county.
REPORTS = """
INSERT INTO tasks_progressreport (task_id, department_id, role, period_key, period_start,
    period_end, state, progress, problems, next_steps, percent, is_late, submitted_at,
    return_reason, version, created_by_id, updated_by_id, created_at, updated_at, is_demo,
    coordination_ask)
SELECT d.task_id, d.department_id, d.role, w.key, w.start_day, w.end_day, s.state,
    tp.progress, tp.problems, tp.next_steps,
    LEAST(100, GREATEST(0, round(w.w * 100.0 / 52 + (x.r2 %% 21) - 12)))::numeric(4, 1),
    s.state <> 'draft' AND x.r2 %% 1000 < 80,
    CASE WHEN s.state = 'draft' THEN NULL
         WHEN x.r2 %% 1000 < 80 THEN w.due_at + interval '1 day 3 hours'
         ELSE w.due_at - interval '1 day' + (x.r2 %% 480) * interval '1 minute' END,
    CASE WHEN s.state = 'returned' THEN '请补充本周具体工作量和下步时间安排。' ELSE '' END,
    1, %(user)s, %(user)s, w.due_at - interval '2 days', w.due_at, false, '{}'::jsonb
FROM duty d
CROSS JOIN bench_week w
CROSS JOIN LATERAL (
    SELECT abs(hashtext(d.k || ':' || w.w)::bigint) %% 1000 AS r,
           abs(hashtext(w.w || '/' || d.k)::bigint) AS r2
) x
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN NOT w.open THEN CASE
            WHEN x.r < 40 THEN NULL WHEN x.r < 50 THEN 'draft' WHEN x.r < 70 THEN 'returned'
            WHEN x.r < 110 THEN 'submitted' WHEN x.r < 200 THEN 'approved' ELSE 'accepted' END
        ELSE CASE
            WHEN x.r < 450 THEN NULL WHEN x.r < 550 THEN 'draft' WHEN x.r < 800 THEN 'submitted'
            WHEN x.r < 900 THEN 'approved' ELSE 'accepted' END
    END AS state
) s
JOIN text_pool tp ON tp.i = x.r2 %% %(pool)s
WHERE d.c BETWEEN %(first)s AND %(last)s AND s.state IS NOT NULL
"""

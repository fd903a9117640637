class CreateRecipes < ActiveRecord::Migration[7.2]
  def change
    create_table :recipes do |t|
      t.string :public_id, null: false
      t.string :title, null: false
      t.text :ingredients, null: false
      t.text :instructions, null: false
      t.timestamps
    end
    add_index :recipes, :public_id, unique: true

    create_table :comments do |t|
      t.references :recipe, null: false, foreign_key: true
      t.text :comment, null: false
      t.timestamps
    end

    create_table :ratings do |t|
      t.references :recipe, null: false, foreign_key: true
      t.integer :rating, null: false
      t.timestamps
    end
    add_check_constraint :ratings, "rating BETWEEN 1 AND 5", name: "rating_range"
  end
end
